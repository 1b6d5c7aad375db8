import type { Command } from '../command.js';
import { createEngine } from '../../engine/engine.js';
import { startServer } from '../../server/server.js';

export const command: Command = {
  name: 'serve',
  summary: 'run the engine headless: HTTP + WebSocket on 127.0.0.1, serving the app to a browser',
  options: [
    { name: 'port', type: 'number', description: 'port to listen on (0 = any free port)', default: 8765 },
    { name: 'host', type: 'string', description: 'interface to bind', default: '127.0.0.1' },
  ],
  async run(ctx) {
    const engine = createEngine({ db: ctx.dbFile });
    const srv = await startServer(engine, { port: ctx.opts.port as number, host: ctx.opts.host as string });
    ctx.print({ url: srv.url, port: srv.port }, `PitWall is running at ${srv.url}  (Ctrl+C to stop)`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        void srv.close().then(() => {
          engine.db.close();
          resolve();
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
