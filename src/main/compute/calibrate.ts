// Times each workload once on every available backend of its runtime (warm-up, then a few steps; median).
import type { BackendId, BackendProbe } from './probe.js';
import { WORKLOADS, type Timing, type Workload } from './select.js';
import { heldTfBackend, useTfBackend, type TfBackend } from './tf.js';
import { prepareOrt, prepareTf, type WorkloadRun } from './workloads.js';
import { median } from '../util/stats.js';

export interface MeasureOptions {
  reps?: number;
  /** Stop adding reps after this much time (ms) has been spent on one pair. */
  budgetMs?: number;
  /** Workload size multiplier (bench: larger batches). */
  scale?: number;
  /** A first step (after the warm-up) slower than this (ms) is recorded as the estimate without more (clearly not the winner). */
  cutoffMs?: number;
}


/** Times `step`: one warm-up (kernels compiled, memory allocated) that is never judged — a GPU's first step compiles
 *  its shaders and can be 100× slower than the next (on an H100: batch inference 181 ms first, 0.9 ms after) — then up
 *  to `reps` steps within `budgetMs`; a first timed step slower than `cutoffMs` ends it (clearly not the winner). */
export async function timeSteps(
  step: () => Promise<void>,
  reps: number,
  budgetMs: number,
  cutoffMs?: number,
  now: () => number = () => performance.now(),
): Promise<Pick<Timing, 'median_ms' | 'reps' | 'note'>> {
  await step();
  const times: number[] = [];
  const start = now();
  while (times.length < reps && (times.length === 0 || now() - start < budgetMs)) {
    const t0 = now();
    await step();
    times.push(now() - t0);
    if (times.length === 1 && cutoffMs !== undefined && times[0]! > cutoffMs)
      return { median_ms: round3(times[0]!), reps: 1, note: 'one step after warm-up: far slower than the best' };
  }
  return { median_ms: round3(median(times)), reps: times.length };
}
const round3 = (v: number) => Math.round(v * 1000) / 1000;

export async function measure(workload: Workload, backend: BackendId, opts: MeasureOptions = {}): Promise<Timing> {
  const reps = opts.reps ?? 3;
  const budget = opts.budgetMs ?? 1500;
  let run: WorkloadRun | undefined;
  try {
    if (backend.startsWith('tfjs:')) {
      const want = backend.slice(5) as TfBackend;
      const { tf, backend: got } = await useTfBackend(want);
      if (got !== want) throw new Error(`${want} could not be initialised (got ${got})`);
      run = await prepareTf(tf, workload as Exclude<Workload, 'ort-infer'>, opts.scale);
    } else {
      run = await prepareOrt(backend.slice(4), opts.scale);
    }
    return { workload, backend, ...(await timeSteps(run.step, reps, budget, opts.cutoffMs)) };
  } catch (e) {
    return { workload, backend, median_ms: null, reps: 0, error: (e as Error).message.split('\n')[0] };
  } finally {
    run?.dispose();
  }
}

/** Every workload × every available backend of its runtime. */
export async function calibrateAll(probes: BackendProbe[], opts: MeasureOptions & { workloads?: Workload[] } = {}): Promise<Timing[]> {
  const held = heldTfBackend();
  if (held && probes.some((p) => p.runtime === 'tfjs' && p.available))
    throw new Error(`a training run holds the tfjs backend (${held}): calibrate again when it ends`);
  const out: Timing[] = [];
  for (const w of WORKLOADS) {
    if (opts.workloads && !opts.workloads.includes(w.name)) continue;
    let best = Infinity;
    // the usual winners first, so the others can be cut short once they are clearly slower
    const order = probes.filter((p) => p.runtime === w.runtime && p.available).sort((a, b) => rank(a.id) - rank(b.id));
    for (const p of order) {
      const t = await measure(w.name, p.id, { ...opts, cutoffMs: opts.cutoffMs ?? (Number.isFinite(best) ? 4 * best : undefined) });
      if (t.median_ms !== null) best = Math.min(best, t.median_ms);
      out.push(t);
    }
  }
  if (out.some((t) => t.backend.startsWith('tfjs:'))) await useTfBackend('wasm');
  return out;
}

const FIRST: string[] = ['tfjs:wasm', 'tfjs:tensorflow', 'ort:cpu'];
const rank = (id: string): number => (FIRST.includes(id) ? FIRST.indexOf(id) : FIRST.length);
