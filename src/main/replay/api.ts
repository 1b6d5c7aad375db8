// Replay API handlers: one controller per session (session.use), pushing snapshots, events and commentary.
import type { Handlers, Session } from '../engine/session.js';
import { startCommentary } from '../commentary/session.js';
import { monitorService } from '../monitoring/service.js';
import { ReplayController } from './controller.js';
import { cachedRace, replayInfo } from './race.js';

interface ReplayState {
  controller: ReplayController | null;
}

const state = (s: Session) =>
  s.use<ReplayState>(
    'replay',
    () => ({ controller: null }),
    (v) => v.controller?.dispose(),
  );

function controller(s: Session): ReplayController {
  const c = state(s).controller;
  if (!c) throw new Error('no replay open: call replayOpen first');
  return c;
}

const int = (v: unknown, name: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer (got "${String(v)}")`);
  return n;
};

export const replayHandlers: Handlers<
  'replayOpen' | 'replayPlay' | 'replayPause' | 'replaySeek' | 'replaySetSpeed' | 'replaySnapshot' | 'replayEvents'
> = {
  replayOpen: (s, args) => {
    const race = cachedRace(s.engine, int(args?.season, 'season'), int(args?.round, 'round'));
    const st = state(s);
    st.controller?.dispose();
    const c = new ReplayController(race, {
      snapshot: (snap) => s.emit('replay:snapshot', snap),
      event: (e) => s.emit('replay:event', e),
    });
    const pipeline = startCommentary(s, race);
    c.onEvents((events, now) => void pipeline.push(events, now).catch(() => undefined));
    c.onSeek((t) => pipeline.reset(t));
    c.onEnd(() => monitorService(s.engine).afterOutcomes()); // predictions for this race meet their outcome
    st.controller = c;
    s.emit('replay:snapshot', c.snapshot());
    return replayInfo(race.tl);
  },
  replayPlay: (s) => controller(s).play(),
  replayPause: (s) => controller(s).pause(),
  replaySeek: (s, args) => controller(s).seekLap(Number(args?.lap ?? 0)),
  replaySetSpeed: (s, args) => controller(s).setSpeed(Number(args?.speed)),
  replaySnapshot: (s) => state(s).controller?.snapshot() ?? null,
  replayEvents: (s, args) => state(s).controller?.eventsSoFar(args?.sinceLap ?? 0) ?? [],
};
