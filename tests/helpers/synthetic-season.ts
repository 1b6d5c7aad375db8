// A synthetic newer season for the fake Jolpica: an Ergast-format folder whose `to` season is a copy of the bundled
// `from` season (the same drivers, teams, results, qualifying, sprints, pit stops, standings), each race a year later
// (364 days: the same weekday) under new raceIds. Drivers, constructors, circuits and status are copied whole.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../../src/main/data/csv.js';
import { findFile } from '../../src/main/data/ergast.js';

const WHOLE = ['circuits.csv', 'drivers.csv', 'constructors.csv', 'status.csv'];
const PER_RACE = ['results.csv', 'sprint_results.csv', 'qualifying.csv', 'pit_stops.csv', 'driver_standings.csv', 'constructor_standings.csv'];
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const shift = (d: string) => (/^\d{4}-\d\d-\d\d$/.test(d) ? new Date(Date.parse(`${d}T00:00:00Z`) + 364 * 86_400_000).toISOString().slice(0, 10) : d);

/** Writes the folder and returns its path. `rounds`: only these rounds of the season (default: all). */
export function syntheticSeasonDir(ergastDir: string, o: { from: number; to: number; rounds?: number[] }): string {
  const dir = mkdtempSync(join(tmpdir(), 'pitwall-synth-'));
  const table = (name: string) => {
    const f = findFile(ergastDir, name);
    if (!f) throw new Error(`${name} missing in ${ergastDir}`);
    return readCsv(f);
  };
  const write = (name: string, header: string[], rows: string[][]) =>
    writeFileSync(join(dir, name), [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n');
  for (const name of WHOLE) {
    const t = table(name);
    write(name, t.header, t.rows);
  }
  const races = table('races.csv');
  const col = (h: string[], c: string) => h.indexOf(c);
  const [yr, rd, id] = [col(races.header, 'year'), col(races.header, 'round'), col(races.header, 'raceId')];
  const maxId = Math.max(...races.rows.map((r) => Number(r[id])));
  const newId = new Map<string, string>();
  const out: string[][] = [];
  for (const r of races.rows) {
    if (Number(r[yr]) !== o.from || (o.rounds && !o.rounds.includes(Number(r[rd])))) continue;
    const nid = String(maxId + Number(r[rd]));
    newId.set(r[id]!, nid);
    out.push(r.map((v, i) => (i === id ? nid : i === yr ? String(o.to) : races.header[i]!.endsWith('date') ? shift(v) : races.header[i] === 'url' ? '' : v)));
  }
  write('races.csv', races.header, out);
  write('seasons.csv', ['year', 'url'], [[String(o.to), '']]);
  for (const name of PER_RACE) {
    const t = table(name);
    const ri = col(t.header, 'raceId');
    write(name, t.header, t.rows.filter((r) => newId.has(r[ri]!)).map((r) => r.map((v, i) => (i === ri ? newId.get(v)! : v))));
  }
  return dir;
}
