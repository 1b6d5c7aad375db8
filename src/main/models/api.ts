// API handlers of the models capability (race-winner prediction, registry, runs, model cards).
import type { Handlers } from '../engine/session.js';
import { service } from '../engine/session.js';
import { loadWinner, listModels, modelCard, modelRuns, predictWinner, promoteModel, type LoadedWinner } from './service.js';

const MODEL_KEY = 'race-winner:model';

export const modelHandlers: Handlers<'predictWinner' | 'modelsList' | 'modelRuns' | 'modelCard' | 'modelPromote'> = {
  async predictWinner(s, { season, round }) {
    const { db, dbFile } = s.engine;
    // cached per engine; a promotion (or a failed load) clears it
    let w: LoadedWinner | null;
    try {
      w = await service(s.engine, MODEL_KEY, () => loadWinner(db, dbFile));
    } catch (e) {
      s.engine.services.delete(MODEL_KEY);
      throw e;
    }
    return w ? predictWinner(db, w, season, round) : [];
  },
  modelsList: (s) => listModels(s.engine.db, s.engine.dbFile),
  modelRuns: (s, { name }) => modelRuns(s.engine.db, name),
  modelCard: (s, { name, version }) => modelCard(s.engine.db, s.engine.dbFile, name, version),
  modelPromote(s, { name, version }) {
    const out = promoteModel(s.engine.db, s.engine.dbFile, name, version);
    s.engine.services.delete(MODEL_KEY);
    return out;
  },
};
