// Strategy capability API: live pit recommendation for a driver at a lap of a race, computed on the engine's
// worker thread (recommend-pool.ts) so the engine keeps answering meanwhile. Calls queue in order.
import type { Handlers } from '../engine/kernel/session.js';
import { recommender } from './recommend-pool.js';

export const strategyHandlers: Handlers<'strategyRecommend'> = {
  strategyRecommend: async (session, args) => {
    try {
      return await recommender(session.engine).recommend(args);
    } catch (e) {
      if ((e as Error).name === 'DataError') return null;
      throw e;
    }
  },
};
