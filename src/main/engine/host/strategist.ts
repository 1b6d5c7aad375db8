// The strategist's events on a replayed race: the replay's own events plus the undercut threats (strategy floor),
// merged in time order once per loaded race. A failure to compute them leaves the replay's events as they were.
import type { RaceEvent } from '../../../shared/domain.js';
import type { Race } from '../../replay/race.js';
import { raceThreatEvents, REJOIN_CACHE } from '../../strategy/rejoin-service.js';
import { serviceKey } from '../kernel/services.js';
import type { Engine } from '../kernel/session.js';

const WITH_THREATS = serviceKey('host:strategist-races', () => new WeakMap<Race, Race>());

export function withStrategistEvents(engine: Engine, race: Race): Race {
  const cache = engine.use(WITH_THREATS);
  const hit = cache.get(race);
  if (hit) return hit;
  let extra: RaceEvent[] = [];
  try {
    const refs = new Map(race.tl.meta.drivers.map((d) => [d.code, d.driver]));
    extra = raceThreatEvents(engine.db, race.tl.meta.season, race.tl.meta.round, (c) => refs.get(c), engine.use(REJOIN_CACHE));
  } catch {
    extra = []; // no lap data or history for threats: the replay's events alone
  }
  const merged: Race = extra.length ? { ...race, events: [...race.events, ...extra].sort((a, b) => a.time - b.time) } : race;
  cache.set(race, merged);
  return merged;
}
