// Worker-thread entry: computes live pit recommendations off the engine's event loop (driven by recommend-pool.ts).
// It opens its own read-only connection to the engine's database; race models stay cached here between calls.
import { parentPort, workerData } from 'node:worker_threads';
import type { PitRecommendation } from '../../shared/domain.js';
import { openDb } from '../data/db.js';
import { toWire, type WireError } from '../../shared/rpc.js';
import { recommend, type RecommendArgs } from './recommend.js';

export interface WorkerInput {
  dbFile: string;
}
export interface WorkerJob {
  id: number;
  args: RecommendArgs;
}
/** An error crossing the thread boundary: the typed wire error (a DataError keeps its file/line/column) plus,
 *  for bugs (`internal`), the original message and stack for the engine log. */
export type WorkerError = WireError & { stack?: string };
export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; value: PitRecommendation | null }
  | { kind: 'error'; id: number; error: WorkerError };

const port = parentPort;
if (!port) throw new Error('recommend-worker.js runs as a worker thread (see strategy/recommend-pool.ts)');
const db = openDb((workerData as WorkerInput).dbFile, { readonly: true });
db.pragma('busy_timeout = 120000');

const send = (m: WorkerReply): void => port.postMessage(m);
port.on('message', async ({ id, args }: WorkerJob) => {
  try {
    send({ kind: 'result', id, value: await recommend(db, args) });
  } catch (e) {
    const wire = toWire(e);
    const err = e instanceof Error ? e : new Error(String(e));
    send({ kind: 'error', id, error: wire.code === 'internal' ? { ...wire, message: err.message, stack: err.stack } : wire });
  }
});
send({ kind: 'ready' });
