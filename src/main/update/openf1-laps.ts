// OpenF1 records of one session → the per-lap rows the FastF1 files give (timing/laps.ts's TimingLap): lap and sector
// times from `laps`, compound, stint and tyre age from `stints`, the in-lap from `pit`, the out-lap flag from `laps`,
// the position at the line from `position`, and the track status during the lap from `race_control`.
import type { TimingLap } from '../timing/laps.js';
import type { ODriver, OLap, OPit, OPosition, ORaceControl, OSession, OStint } from './openf1.js';

export interface SessionRecords {
  session: OSession;
  drivers: ODriver[];
  laps: OLap[];
  stints: OStint[];
  pit: OPit[];
  race_control: ORaceControl[];
  position: OPosition[];
}

const ms = (iso: string): number => Date.parse(iso);
const r3 = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);

/** Track status changes from race control, as the feed's codes: '1' clear, '2' yellow, '4' SC, '5' red, '6' VSC,
 *  '7' VSC ending. A track-wide green or clear ends them all; a sector's clear ends that sector's yellow. */
export function trackStatusChanges(rc: ORaceControl[]): { t: number; code: string }[] {
  const out: { t: number; code: string }[] = [];
  const yellow = new Set<number>();
  let neutral: '' | '4' | '5' | '6' | '7' = '';
  const sorted = [...rc].sort((a, b) => ms(a.date) - ms(b.date));
  for (const m of sorted) {
    const msg = m.message.toUpperCase();
    const flag = (m.flag ?? '').toUpperCase();
    if (m.category === 'SafetyCar') {
      if (msg.includes('VIRTUAL SAFETY CAR DEPLOYED')) neutral = '6';
      else if (msg.includes('VIRTUAL SAFETY CAR ENDING')) neutral = '7';
      else if (msg.includes('SAFETY CAR DEPLOYED')) neutral = '4';
      else continue;
    } else if (m.category === 'Flag') {
      if (flag === 'RED') neutral = '5';
      else if ((flag === 'GREEN' || flag === 'CLEAR') && (m.scope ?? 'Track') === 'Track') {
        neutral = '';
        yellow.clear();
      } else if ((flag === 'YELLOW' || flag === 'DOUBLE YELLOW') && m.scope !== 'Driver') yellow.add(m.sector ?? 0);
      else if (flag === 'CLEAR' && m.scope === 'Sector') yellow.delete(m.sector ?? 0);
      else continue;
    } else continue;
    const code = neutral || (yellow.size ? '2' : '1');
    if (out[out.length - 1]?.code !== code) out.push({ t: ms(m.date), code });
  }
  return out;
}

/** The codes seen in [start, end], in order, as FastF1 writes them ('1', '41', …). */
function statusDuring(changes: { t: number; code: string }[], start: number, end: number): string {
  let code = '1';
  for (const c of changes) if (c.t <= start) code = c.code;
  let seen = code;
  for (const c of changes) if (c.t > start && c.t <= end && !seen.endsWith(c.code)) seen += c.code;
  // '1' then '4' reads '14' in FastF1 only when the lap began clear; a code seen twice keeps its first place.
  return [...new Set(seen)].join('');
}

/** Per-lap rows of one session. Lap end = start + duration, else the next lap's start; laps with neither are dropped. */
export function sessionLaps(rec: SessionRecords): TimingLap[] {
  const t0 = ms(rec.session.date_start);
  const codes = new Map(rec.drivers.map((d) => [d.driver_number, d.name_acronym ?? null]));
  const changes = trackStatusChanges(rec.race_control);
  const byCar = new Map<number, OLap[]>();
  for (const l of rec.laps) {
    let a = byCar.get(l.driver_number);
    if (!a) byCar.set(l.driver_number, (a = []));
    a.push(l);
  }
  const positions = new Map<number, OPosition[]>();
  for (const p of [...rec.position].sort((a, b) => ms(a.date) - ms(b.date))) {
    let a = positions.get(p.driver_number);
    if (!a) positions.set(p.driver_number, (a = []));
    a.push(p);
  }
  const pitIn = new Set(rec.pit.map((p) => `${p.driver_number}/${p.lap_number}`));
  const out: TimingLap[] = [];
  for (const [car, laps] of byCar) {
    laps.sort((a, b) => a.lap_number - b.lap_number);
    const stints = rec.stints.filter((s) => s.driver_number === car);
    const pos = positions.get(car) ?? [];
    let best = Infinity;
    laps.forEach((l, i) => {
      const start = l.date_start ? ms(l.date_start) : null;
      const next = laps[i + 1]?.date_start;
      const end = start !== null && l.lap_duration !== null ? start + l.lap_duration * 1000 : next ? ms(next) : null;
      if (end === null || Number.isNaN(end)) return;
      const s = stints.find((x) => x.lap_start <= l.lap_number && l.lap_number <= x.lap_end);
      let position: number | null = null;
      for (const p of pos) {
        if (ms(p.date) > end + 500) break;
        position = p.position;
      }
      const pb = l.lap_duration !== null && l.lap_duration < best;
      if (pb) best = l.lap_duration!;
      out.push({
        driver_number: car,
        driver: codes.get(car) ?? null,
        lap_number: l.lap_number,
        lap_time_s: r3(l.lap_duration),
        sector1_s: r3(l.duration_sector_1),
        sector2_s: r3(l.duration_sector_2),
        sector3_s: r3(l.duration_sector_3),
        position,
        stint: s?.stint_number ?? null,
        compound: s?.compound ? s.compound.toUpperCase() : null,
        tyre_life: s && s.tyre_age_at_start !== null ? s.tyre_age_at_start + (l.lap_number - s.lap_start) + 1 : null,
        fresh_tyre: s && s.tyre_age_at_start !== null ? s.tyre_age_at_start === 0 : null,
        pit_in: pitIn.has(`${car}/${l.lap_number}`),
        pit_out: l.is_pit_out_lap === true,
        track_status: statusDuring(changes, start ?? end - (l.lap_duration ?? 0) * 1000, end),
        is_personal_best: pb,
        time_s: Math.round(end - t0) / 1000,
      });
    });
  }
  return out.sort((a, b) => a.lap_number - b.lap_number || a.time_s - b.time_s);
}
