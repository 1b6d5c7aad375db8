// The engine's monitoring service: pushes new alerts ('monitor:alert') to every session, including alerts written
// by another process on the same database (the CLI's `monitor report`, an import's outcome join).
import type { DriftAlert } from '../../shared/domain.js';
import { serviceKey } from '../engine/kernel/services.js';
import type { Engine } from '../engine/kernel/session.js';
import { ensureMonitorTables, hasMonitorTables, listAlerts, type AlertSink } from './alerts.js';
import { joinOutcomes, type JoinResult } from './log.js';

export interface MonitorService {
  /** Sink for alerts raised in this process: broadcasts at once. */
  sink: AlertSink;
  /** Broadcasts alerts stored since the last poll (by any process). */
  poll(): DriftAlert[];
  /** Outcome join (after an import or at the end of a replay) with alerts pushed to the sessions. */
  afterOutcomes(): JoinResult;
  /** The join at a replay's chequered flag, once per race per engine: fifty screens finishing the same replay
   *  would otherwise run the same join fifty times on the engine's loop. */
  afterRaceEnd(race: string): void;
  stop(): void;
}

const POLL_MS = 5000;

const MONITOR = serviceKey('monitoring', createMonitor, (m) => m.stop());

export function monitorService(engine: Engine): MonitorService {
  return engine.use(MONITOR);
}

function createMonitor(engine: Engine): MonitorService {
  if (!engine.db.readonly) ensureMonitorTables(engine.db);
  let lastId = hasMonitorTables(engine.db) ? ((engine.db.prepare('SELECT MAX(id) FROM monitor_alerts').pluck().get() as number | null) ?? 0) : 0;
  const sink: AlertSink = (a) => {
    lastId = Math.max(lastId, a.id);
    engine.broadcast('monitor:alert', a);
  };
  const poll = (): DriftAlert[] => {
    const fresh = listAlerts(engine.db, { afterId: lastId });
    for (const a of fresh) sink(a);
    return fresh;
  };
  const joinedAtFlag = new Set<string>();
  const timer = setInterval(() => {
    try {
      if (engine.db.open) poll();
    } catch {
      // the database may be closing; the next poll retries
    }
  }, POLL_MS);
  timer.unref();
  return {
    sink,
    poll,
    afterOutcomes: () => joinOutcomes(engine.db, { onAlert: sink }),
    afterRaceEnd(race) {
      if (joinedAtFlag.has(race)) return;
      joinedAtFlag.add(race);
      joinOutcomes(engine.db, { onAlert: sink });
    },
    stop: () => clearInterval(timer),
  };
}
