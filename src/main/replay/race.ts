// A loaded race: timeline + detected events (cached per engine), and its ReplayInfo for the UI.
import type { RaceEvent, ReplayInfo } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { serviceKey } from '../engine/kernel/services.js';
import type { Engine } from '../engine/kernel/session.js';
import { detectEvents } from './events.js';
import { dbSource, type TimingSource } from './source.js';
import { Timeline } from './timeline.js';

export interface Race {
  tl: Timeline;
  events: RaceEvent[];
}

export function buildRace(source: TimingSource): Race {
  const tl = new Timeline(source);
  return { tl, events: detectEvents(tl) };
}

export function loadRace(db: Db, season: number, round: number): Race {
  return buildRace(dbSource(db, season, round));
}

const RACES = serviceKey('replay:races', () => new Map<string, Race>());

/** Engine-wide cache of the last few races opened. */
export function cachedRace(engine: Engine, season: number, round: number): Race {
  const cache = engine.use(RACES);
  const key = `${season}/${round}`;
  let race = cache.get(key);
  if (race) {
    cache.delete(key);
  } else {
    race = loadRace(engine.db, season, round);
    if (cache.size >= 4) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, race);
  return race;
}

export function replayInfo(tl: Timeline): ReplayInfo {
  const m = tl.meta;
  return {
    season: m.season,
    round: m.round,
    name: m.name,
    circuitRef: m.circuitRef,
    totalLaps: tl.totalLaps,
    drivers: m.drivers.map((d) => ({ driver: d.driver, code: d.code, name: d.name, team: d.team, teamColor: d.teamColor })),
    bands: tl.bands(),
    hasSectors: [...tl.laps.values()].some((l) => l.some((x) => x.sectors !== null)),
  };
}
