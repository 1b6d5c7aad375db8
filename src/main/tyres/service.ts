// Serving: the shipped tyre-degradation model (models/tyre-deg/) and degradation curves for the API and CLI.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { shippedModelsDir } from '../data/paths.js';
import type { StintForecast } from '../../shared/domain.js';
import { loadTyreDeg, liveForecast, type TyreDegModel } from './forecast.js';
import { loadRaces } from '../race/laps.js';

export const tyreDegDir = (): string => join(shippedModelsDir(), 'tyre-deg');

/** Loads the shipped tyre-deg model, or null when none is shipped. */
export async function loadShippedTyreDeg(dir = tyreDegDir()): Promise<TyreDegModel | null> {
  return existsSync(join(dir, 'model.json')) ? loadTyreDeg(dir) : null;
}

/** Forecast of `driver` (code or driverRef) at the end of `lap` of a race; null when the stint has < 3 clean laps. */
export async function forecastFor(db: Db, model: TyreDegModel, season: number, round: number, driver: string, lap: number): Promise<StintForecast | null> {
  const race = loadRaces(db, [season, season], { round })[0];
  if (!race) throw new DataError(`no race laps for ${season} round ${round}`);
  const code = [...race.byDriver.keys()].find((c) => c === driver || c.toLowerCase() === driver.toLowerCase() || race.byDriver.get(c)![0]!.driverRef === driver);
  if (!code) throw new DataError(`driver "${driver}" did not race in ${season} round ${round}`);
  return liveForecast(model, race, code, lap);
}
