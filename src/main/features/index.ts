// Public API of the feature store. Other capabilities import from here only.
import { serviceKey } from '../engine/kernel/services.js';
import type { Engine } from '../engine/kernel/session.js';
import { FeatureStore } from './store.js';

export { FeatureStore, type OnlineResult, type ViewInfo } from './store.js';
export type { HistoricalResult, JoinOptions } from './historical.js';
export type { MaterializeReport, ViewRun } from './materialize.js';
export type { ApplyResult } from './registry.js';
export type * from './types.js';
export { ENTITIES } from './entities.js';
export { SERVICES } from './services.js';
export { VIEWS } from './views/index.js';
export { raceTimeline, raceEntryRows, type RaceTime, type RaceEntryRow } from './races.js';
export { readEntityFile, writeFeatureCsv } from './entity-file.js';

/** The engine-wide store (one per database). */
const FEATURES = serviceKey('features', (engine) => new FeatureStore(engine.db));
export const featureStore = (engine: Engine): FeatureStore => engine.use(FEATURES);
