import type { Handlers } from '../engine/kernel/session.js';
import { raceResults } from './classification.js';
import { schemaVersion } from './db.js';
import { dbStatus, listRaces, listSeasons } from './status.js';
import { VERSION } from '../util/version.js';

export const dataHandlers: Handlers<'health' | 'status' | 'listSeasons' | 'listRaces' | 'raceResults'> = {
  health: (s) => ({ ok: true, version: VERSION, schemaVersion: schemaVersion(s.engine.db) }),
  status: (s) => dbStatus(s.engine.db),
  listSeasons: (s) => listSeasons(s.engine.db),
  listRaces: (s, { season }) => listRaces(s.engine.db, season),
  raceResults: (s, { season, round }) => raceResults(s.engine.db, season, round),
};
