// race_context: what is known about a race's circuit before the start, from earlier races there.
import type { FeatureRow, FeatureView, TransformContext } from '../types.js';
import { byRace, loadHistory } from './history.js';

function run(ctx: TransformContext): FeatureRow[] {
  const h = ctx.memo('history', () => loadHistory(ctx.db));
  const sc = new Set(
    ctx.db
      .prepare('SELECT DISTINCT race_id FROM safety_cars WHERE race_id IS NOT NULL')
      .pluck()
      .all() as number[],
  );
  const red = new Set(
    ctx.db
      .prepare('SELECT DISTINCT race_id FROM red_flags WHERE race_id IS NOT NULL')
      .pluck()
      .all() as number[],
  );
  const atCircuit = new Map<string, { races: number; poleWins: number; winnerGrid: number[] }>();
  const since1993 = new Map<string, { races: number; sc: number; red: number }>(); // the safety car era
  const out: FeatureRow[] = [];
  for (const group of byRace(h.entries)) {
    const race = group[0]!.race;
    const c = atCircuit.get(race.circuit) ?? { races: 0, poleWins: 0, winnerGrid: [] };
    const e = since1993.get(race.circuit) ?? { races: 0, sc: 0, red: 0 };
    if (ctx.since === null || race.startMs > ctx.since) {
      out.push({
        race: race.key,
        event_timestamp: race.startMs,
        circuit: race.circuit,
        season: race.year,
        round: race.round,
        circuit_races_before: c.races,
        circuit_pole_win_rate: c.races ? c.poleWins / c.races : null,
        circuit_avg_winner_grid: c.winnerGrid.length
          ? c.winnerGrid.reduce((a, b) => a + b, 0) / c.winnerGrid.length
          : null,
        circuit_sc_rate: e.races ? e.sc / e.races : null,
        circuit_red_flag_rate: e.races ? e.red / e.races : null,
      });
    }
    if (race.year >= 1993 && group.some((x) => x.raced)) {
      e.races++;
      if (sc.has(race.raceId)) e.sc++;
      if (red.has(race.raceId)) e.red++;
      since1993.set(race.circuit, e);
    }
    const winner = group.find((e) => e.position === 1);
    if (winner) {
      c.races++;
      if (winner.grid === 1) c.poleWins++;
      if (winner.grid !== null && winner.grid > 0) c.winnerGrid.push(winner.grid);
      atCircuit.set(race.circuit, c);
    }
  }
  return out;
}

export const raceContext: FeatureView = {
  name: 'race_context',
  entity: 'race',
  description:
    'The race’s circuit history before the start: pole conversion, winners’ grid slots, safety cars and red flags.',
  fields: [
    { name: 'circuit', type: 'string', description: 'circuitRef' },
    { name: 'season', type: 'int' },
    { name: 'round', type: 'int' },
    { name: 'circuit_races_before', type: 'int', description: 'earlier races at this circuit' },
    {
      name: 'circuit_pole_win_rate',
      type: 'float',
      description: 'share of earlier races here won from pole',
    },
    { name: 'circuit_avg_winner_grid', type: 'float', description: 'mean grid slot of earlier winners here' },
    {
      name: 'circuit_sc_rate',
      type: 'float',
      description: 'share of earlier races here (1993+) with a safety car',
    },
    {
      name: 'circuit_red_flag_rate',
      type: 'float',
      description: 'share of earlier races here (1993+) with a red flag',
    },
  ],
  source: { kind: 'transform', run, uses: [loadHistory, byRace] },
};
