// Strategy capability API: live pit recommendation for a driver at a lap of a race, computed on the engine's
// worker thread (recommend-pool.ts) so the engine keeps answering meanwhile. Calls queue in order.
import { codeOf } from '../../shared/rpc.js';
import type { Handlers } from '../engine/kernel/session.js';
import { recommender } from './recommend-pool.js';

export const strategyHandlers: Handlers<'strategyRecommend'> = {
  strategyRecommend: async (session, args) => {
    try {
      return await recommender(session.engine).recommend(args);
    } catch (e) {
      if (codeOf(e) === 'data_error') return null; // no recommendation for this lap/driver: the UI shows none
      throw e;
    }
  },
};
