// Strategy capability API: live pit recommendation for a driver at a lap of a race.
import type { Handlers } from '../engine/session.js';
import { recommend } from './recommend.js';

export const strategyHandlers: Handlers<'strategyRecommend'> = {
  strategyRecommend: async (session, args) => {
    try {
      return await recommend(session.engine.db, args);
    } catch (e) {
      if ((e as Error).name === 'DataError') return null;
      throw e;
    }
  },
};
