// API handlers of the models capability (race-winner prediction, registry, runs, model cards).
import { serviceKey } from '../engine/kernel/services.js';
import type { Handlers } from '../engine/kernel/session.js';
import { loadWinner, listModels, modelCard, modelRuns, predictWinner, promoteModel } from './service.js';
import { loadWinProb, winProbabilityTrace } from './win-probability/serve.js';

// cached per engine; a promotion (or a failed load) invalidates it
const WINNER = serviceKey('race-winner:model', (engine) => loadWinner(engine.db, engine.dbFile));
const WIN_PROB = serviceKey('win-probability:model', (engine) => loadWinProb(engine.db, engine.dbFile));

export const modelHandlers: Handlers<'predictWinner' | 'winProbability' | 'modelsList' | 'modelRuns' | 'modelCard' | 'modelPromote'> = {
  async predictWinner(s, { season, round }) {
    const w = await s.engine.use(WINNER);
    return w ? predictWinner(s.engine.db, w, season, round) : [];
  },
  async winProbability(s, { season, round }) {
    const w = await s.engine.use(WIN_PROB);
    return w ? winProbabilityTrace(s.engine.db, w, season, round) : null;
  },
  modelsList: (s) => listModels(s.engine.db, s.engine.dbFile),
  modelRuns: (s, { name }) => modelRuns(s.engine.db, name),
  modelCard: (s, { name, version }) => modelCard(s.engine.db, s.engine.dbFile, name, version),
  async modelPromote(s, { name, version }) {
    const out = promoteModel(s.engine.db, s.engine.dbFile, name, version);
    await s.engine.services.invalidate(WINNER);
    await s.engine.services.invalidate(WIN_PROB);
    return out;
  },
};
