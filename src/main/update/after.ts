// After new results arrive (CLI update, the app's "Update data"): outcomes join to logged predictions, and a feature
// store already in use materializes incrementally (only the new races).
import type { Db } from '../data/db.js';
import { hasMonitorTables } from '../monitoring/alerts.js';
import { joinOutcomes, type JoinResult } from '../monitoring/log.js';
import type { MaterializeReport } from '../features/index.js';

export interface AfterUpdate {
  outcomes?: JoinResult;
  features?: MaterializeReport;
}

export async function afterUpdate(db: Db): Promise<AfterUpdate> {
  const out: AfterUpdate = {};
  if (hasMonitorTables(db)) out.outcomes = joinOutcomes(db);
  const inUse = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feature_state'").get() !== undefined;
  if (inUse) {
    const { FeatureStore } = await import('../features/store.js');
    out.features = new FeatureStore(db).materialize();
  }
  return out;
}
