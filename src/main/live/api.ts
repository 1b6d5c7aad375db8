// Live API handlers: thin over the engine's one live service (service.ts).
import { join } from 'node:path';
import { dataDir } from '../data/paths.js';
import type { Handlers } from '../engine/kernel/session.js';
import { openLive } from './open.js';
import { liveService } from './service.js';
import { liveTokens, setLiveToken, TOKEN_STORE } from './tokens.js';

/** Where recordings live (`pitwall live record` writes here by default; `liveStart` reads only here). */
export const recordingsDir = (): string => join(dataDir(), 'recordings');

export const liveHandlers: Handlers<'liveSubscribe' | 'liveStatus' | 'liveTower' | 'liveSetDelay' | 'liveLaps' | 'liveStart' | 'liveStop' | 'liveForecast' | 'liveCharts' | 'liveRejoin' | 'liveTokens' | 'liveSetToken'> = {
  liveSubscribe: (s) => liveService(s.engine).subscribe(s),
  liveStatus: (s) => liveService(s.engine).status(s),
  liveTower: (s) => liveService(s.engine).tower(s),
  liveSetDelay: (s, args) => liveService(s.engine).setDelay(s, args.seconds),
  liveLaps: (s, args) => liveService(s.engine).lapsFor(s, args?.driverNumber),
  liveStart: (s, args) => {
    if (args.source === 'recording' && !args.recording) throw new Error('liveStart: name the recording (a .jsonl file in the data directory’s recordings/ folder)');
    const spec = args.source === 'recording' ? join(recordingsDir(), args.recording!) : args.source;
    const live = liveService(s.engine);
    void live.start(openLive(spec, { speed: args.speed ?? 1 }));
    return live.status(s);
  },
  liveForecast: (s, args) => liveService(s.engine).forecast(s, args.driverNumber),
  liveCharts: (s) => liveService(s.engine).charts(s),
  liveRejoin: (s, args) => liveService(s.engine).rejoin(s, args.driverNumber),
  liveTokens: (s) => liveTokens(s.engine.use(TOKEN_STORE)),
  liveSetToken: (s, args) => setLiveToken(s.engine.use(TOKEN_STORE), args.name, args.value),
  liveStop: (s) => {
    const live = liveService(s.engine);
    live.stop();
    return live.status(s);
  },
};
