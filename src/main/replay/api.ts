// Replay API handlers: one controller per session, pushing snapshots and events. Opening a replay is composed by
// the host (engine/host/race-session.ts), which wires commentary and monitoring onto the controller made here.
import type { Handlers, Session } from '../engine/kernel/session.js';
import { sessionKey } from '../engine/kernel/session.js';
import { raceChartsAt } from './charts.js';
import { ReplayController } from './controller.js';
import type { Race } from './race.js';

interface ReplayState {
  controller: ReplayController | null;
}

const REPLAY = sessionKey<ReplayState>(
  'replay',
  () => ({ controller: null }),
  (v) => v.controller?.dispose(),
);

function controller(s: Session): ReplayController {
  const c = s.use(REPLAY).controller;
  if (!c) throw new Error('no replay open: call replayOpen first');
  return c;
}

export const int = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer (got "${String(v)}")`);
  return n;
};

/** Replaces the session's replay with a controller over `race`, pushing to the session. */
export function openReplay(s: Session, race: Race): ReplayController {
  const st = s.use(REPLAY);
  st.controller?.dispose();
  st.controller = new ReplayController(race, {
    snapshot: (snap) => s.emit('replay:snapshot', snap),
    event: (e) => s.emit('replay:event', e),
  });
  return st.controller;
}

export const replayHandlers: Handlers<
  'replayPlay' | 'replayPause' | 'replaySeek' | 'replaySetSpeed' | 'replaySnapshot' | 'replayEvents' | 'replayCharts'
> = {
  replayPlay: (s) => controller(s).play(),
  replayPause: (s) => controller(s).pause(),
  replaySeek: (s, args) => controller(s).seekLap(Number(args?.lap ?? 0)),
  replaySetSpeed: (s, args) => controller(s).setSpeed(Number(args?.speed)),
  replaySnapshot: (s) => s.use(REPLAY).controller?.snapshot() ?? null,
  replayEvents: (s, args) => s.use(REPLAY).controller?.eventsSoFar(args?.sinceLap ?? 0) ?? [],
  replayCharts: (s) => {
    const c = s.use(REPLAY).controller;
    return c ? raceChartsAt(c.race.tl, c.clock.time) : null;
  },
};
