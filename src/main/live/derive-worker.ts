// The live service's lap deriver thread: keeps the lap topics' updates and answers each `derive` (derive.ts).
import { parentPort } from 'node:worker_threads';
import { Deriver, type DeriveMessage } from './derive.js';

const d = new Deriver();
parentPort?.on('message', (m: DeriveMessage) => {
  if (m.kind === 'keep') d.keep(m.topic, m.offsetMs, m.data);
  else if (m.kind === 'reset') d.reset();
  else {
    try {
      parentPort!.postMessage({ id: m.id, ok: true, value: d.derive(m.tower) });
    } catch (e) {
      parentPort!.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
});
