// Entry of the engine process: SQLite, replay timers, model inference, training and strategy simulation all run
// here, so the Electron main process (and every window) stays responsive. Packaged builds run it as an Electron
// utility process (native modules rebuilt for Electron); development runs it under the system Node (modules as
// npm installed them), speaking over Node's child-process IPC.
import { closeEngine, createEngine } from '../engine/host/engine.js';
import { createEngineHost } from './host.js';
import type { FromEngine, ToEngine } from './protocol.js';

interface ParentPort {
  postMessage(msg: FromEngine): void;
  on(event: 'message', listener: (e: { data: ToEngine }) => void): void;
}

function channel(): { post(m: FromEngine): void; listen(fn: (m: ToEngine) => void): void } {
  const port = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (port)
    return { post: (m) => port.postMessage(m), listen: (fn) => port.on('message', (e) => fn(e.data)) };
  if (process.send) {
    const send = process.send.bind(process);
    return { post: (m) => void send(m), listen: (fn) => process.on('message', (m) => fn(m as ToEngine)) };
  }
  throw new Error('engine-process runs as a child of the PitWall desktop app');
}

const ch = channel();
try {
  const engine = createEngine();
  const host = createEngineHost(engine, ch.post);
  ch.listen((m) => void host.handle(m));
  const stop = () => {
    host.dispose();
    void closeEngine(engine).finally(() => process.exit(0)); // ends the strategy worker, then the database
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  ch.post({ kind: 'ready' });
} catch (e) {
  ch.post({ kind: 'fatal', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
