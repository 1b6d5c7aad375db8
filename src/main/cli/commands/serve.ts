import type { Command } from '../command.js';
import { closeEngine, createEngine } from '../../engine/host/engine.js';
import { startServer } from '../../server/server.js';
import { bootstrapProgress } from '../progress.js';

// A shutdown that takes longer than this (a stuck client, a busy native call) ends the process anyway.
const SHUTDOWN_GRACE_MS = 5000;

export const command: Command = {
  name: 'serve',
  summary: 'run the engine headless: HTTP + WebSocket on 127.0.0.1, serving the app to a browser',
  options: [
    { name: 'port', type: 'number', description: 'port to listen on (0 = any free port)', default: 8765 },
    { name: 'host', type: 'string', description: 'interface to bind', default: '127.0.0.1' },
  ],
  async run(ctx) {
    const progress = bootstrapProgress();
    const engine = createEngine({ db: ctx.dbFile, onProgress: progress.onProgress });
    progress.done();
    const srv = await startServer(engine, { port: ctx.opts.port as number, host: ctx.opts.host as string });
    ctx.print({ url: srv.url, port: srv.port }, `PitWall is running at ${srv.url}  (Ctrl+C to stop)`);
    // SIGINT / SIGTERM: close the server (clients, worker threads), then the database; the process then exits on
    // its own because nothing is left on the event loop. A second signal gets Node's default (immediate) exit.
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    setTimeout(() => {
      ctx.log(`pitwall serve: shutdown took over ${SHUTDOWN_GRACE_MS / 1000} s; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    try {
      await srv.close();
    } finally {
      await closeEngine(engine);
    }
  },
};
