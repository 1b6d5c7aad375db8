// Opening a race for a session: the replay controller, the session's commentary on that race, and the outcome
// join at the chequered flag. Orchestration across capabilities lives here, in the host, not in any of them.
import type { Handlers } from '../kernel/session.js';
import { startCommentary } from '../../commentary/session.js';
import { monitorService } from '../../monitoring/service.js';
import { int, openReplay } from '../../replay/api.js';
import { cachedRace, replayInfo } from '../../replay/race.js';
import { withStrategistEvents } from './strategist.js';

export const raceSessionHandlers: Handlers<'replayOpen'> = {
  replayOpen: (s, args) => {
    const race = withStrategistEvents(s.engine, cachedRace(s.engine, int(args?.season, 'season'), int(args?.round, 'round')));
    const c = openReplay(s, race);
    const pipeline = startCommentary(s, race);
    c.onEvents((events, now) => void pipeline.push(events, now).catch(() => undefined));
    c.onSeek((t) => pipeline.reset(t));
    // predictions for this race meet their outcome (once per race, however many sessions reach the flag)
    c.onEnd(() => monitorService(s.engine).afterRaceEnd(`${race.tl.meta.season}-${race.tl.meta.round}`));
    s.emit('replay:snapshot', c.snapshot());
    return replayInfo(race.tl);
  },
};
