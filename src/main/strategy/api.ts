// Strategy capability API: live pit recommendation for a driver at a lap of a race, computed on the engine's
// worker thread (recommend-pool.ts) so the engine keeps answering meanwhile (calls queue in order); the circuit's
// pit-loss table and the rejoin prediction (rejoin-service.ts), answered on the engine thread (milliseconds).
import { codeOf } from '../../shared/rpc.js';
import type { Handlers } from '../engine/kernel/session.js';
import { recommender } from './recommend-pool.js';
import { pitLossAt, REJOIN_CACHE, rejoinAt } from './rejoin-service.js';

export const strategyHandlers: Handlers<'strategyRecommend' | 'strategyPitLoss' | 'strategyRejoin'> = {
  strategyRecommend: async (session, args) => {
    // A race without tyre data (Jolpica's lap times and positions only): advice on unknown tyres would be made up.
    const tyres = session.engine.db
      .prepare(`SELECT 1 FROM laps WHERE season = ? AND round = ? AND session = 'race' AND compound IS NOT NULL
                AND (driver_ref = ? OR driver = ?) LIMIT 1`)
      .get(args.season, args.round, args.driver, args.driver);
    if (tyres === undefined) return null;
    try {
      return await recommender(session.engine).recommend(args);
    } catch (e) {
      if (codeOf(e) === 'data_error') return null; // no recommendation for this lap/driver: the UI shows none
      throw e;
    }
  },
  strategyPitLoss: (session, { circuit }) => pitLossAt(session.engine.db, circuit, session.engine.use(REJOIN_CACHE)),
  // the replay's "if boxed now": the other cars' coming stops stay unknown unless asked for ('known': the evaluation)
  strategyRejoin: (session, { others, ...q }) => rejoinAt(session.engine.db, { ...q, others: others ?? 'none', threats: true }, session.engine.use(REJOIN_CACHE)),
};
