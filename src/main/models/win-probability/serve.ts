// Serving in-race win probability for one race: the pre-race model's probabilities at lap 0, then the in-race model
// after every lap. The model is the registry's champion, else the shipped one in models/win-probability/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WinProbabilityTrace } from '../../../shared/domain.js';
import type { Db } from '../../data/db.js';
import { shippedModelsDir } from '../../data/paths.js';
import { Registry } from '../../registry/registry.js';
import { weekendDataOf } from '../race-winner/dataset.js';
import { entriesOfRace } from '../race-winner/entries.js';
import { recipeProbabilities } from '../race-winner/recipe.js';
import { predictWinProb, type WinProbModelJSON } from './model.js';
import { raceStates, type Priors } from './state.js';

export const WIN_PROBABILITY = 'win-probability';

export interface LoadedWinProb {
  source: string;
  model: WinProbModelJSON;
}

export function loadWinProb(db: Db, dbFile: string): LoadedWinProb | null {
  const champ = new Registry(db, dbFile).byAlias(WIN_PROBABILITY, 'champion');
  const dir = champ ? champ.dir : join(shippedModelsDir(), WIN_PROBABILITY);
  const file = join(dir, 'model.json');
  if (!existsSync(file)) return null;
  return { source: champ ? `registry v${champ.version}` : 'shipped', model: JSON.parse(readFileSync(file, 'utf8')) as WinProbModelJSON };
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** The race's trace; laps stay empty for a race without lap data (lap 0 still carries the pre-race values). */
export function winProbabilityTrace(db: Db, w: LoadedWinProb, season: number, round: number): WinProbabilityTrace {
  const entries = entriesOfRace(db, season, round);
  const out: WinProbabilityTrace = { season, round, source: w.source, laps: [] };
  if (!entries.length) return out;
  const d = weekendDataOf(db, entries);
  const pre = w.model.prerace ? recipeProbabilities(w.model.prerace, d) : Float64Array.from(entries, () => 1 / entries.length);
  const key = `${season}-${round}`;
  const priors: Priors = new Map([[key, new Map(entries.map((e, i) => [e.driver, pre[i]!]))]]);
  const code = new Map(entries.map((e) => [e.driver, e.code]));
  out.laps.push({
    lap: 0,
    cars: entries.map((e, i) => ({ code: e.code, win: r4(pre[i]!), podium: null, points: null })).sort((a, b) => b.win - a.win),
  });
  const st = raceStates(db, season, season, priors, round);
  if (!st.rows) return out;
  const p = predictWinProb(w.model, st);
  st.groups.forEach(([s, e], g) => {
    const cars = [];
    for (let i = s; i < e; i++) cars.push({ code: code.get(st.driver[i]!) ?? st.driver[i]!, win: r4(p.win[i]!), podium: r4(p.podium[i]!), points: r4(p.points[i]!) });
    out.laps.push({ lap: st.groupInfo[g]!.lap, cars });
  });
  return out;
}
