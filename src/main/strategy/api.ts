// STUB — replaced by the strategy capability.
import type { Handlers } from '../engine/session.js';

export const strategyHandlers: Handlers<'strategyRecommend'> = {
  strategyRecommend: () => null,
};
