// STUB — replaced by the race-winner / registry capability.
import type { Handlers } from '../engine/session.js';

export const modelHandlers: Handlers<'predictWinner' | 'modelsList' | 'modelRuns' | 'modelCard' | 'modelPromote'> = {
  predictWinner: () => [],
  modelsList: () => [],
  modelRuns: () => [],
  modelCard: () => null,
  modelPromote: () => [],
};
