// Times each workload on every available backend of its runtime. Calibration interleaves the candidates (A B A B …:
// each round switches to a backend, prepares the workload, runs a warm-up that is never judged and a few timed steps)
// and judges each by the median of its faster half, so a burst of load from other programs lands on every candidate
// and barely moves the verdict. `measure` (one backend, consecutive steps, median) is what bench:devices reports.
import { cpus, loadavg } from 'node:os';
import type { BackendId, BackendProbe } from './probe.js';
import { WORKLOADS, type Timing, type Workload } from './select.js';
import { heldTfBackend, useTfBackend, type TfBackend } from './tf-backend.js';
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
    run = await candidate(workload, backend, opts.scale).prepare();
    return { workload, backend, ...(await timeSteps(run.step, reps, budget, opts.cutoffMs)) };
  } catch (e) {
    return { workload, backend, median_ms: null, reps: 0, error: (e as Error).message.split('\n')[0] };
  } finally {
    run?.dispose();
  }
}

/** The median of the faster half of `xs` (its lower quartile, about): other programs' load only ever adds time. */
export function fasterHalfMedian(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return median(s.slice(0, Math.max(1, Math.ceil(s.length / 2))));
}

export interface Candidate {
  backend: BackendId;
  /** Makes the backend active and the workload ready (called once per round). */
  prepare(): Promise<WorkloadRun>;
}

export interface InterleaveOptions {
  /** Rounds over all candidates (A B A B …): at least minRounds (3), then more while the two fastest are within
   *  `clear` (1.6×) of each other, up to `rounds` (8). */
  rounds?: number;
  minRounds?: number;
  clear?: number;
  /** Timed steps per candidate and round (after one untimed warm-up). */
  reps?: number;
  /** After the first round, a candidate slower than this factor × the best is measured no more (never `keep`). */
  cutoff?: number;
  /** The default backend: always measured every round. */
  keep?: BackendId;
  now?: () => number;
}

/** Interleaved measurement of one workload on several backends; each judged by the median of its faster half. */
export async function interleave(workload: Workload, candidates: Candidate[], opts: InterleaveOptions = {}): Promise<Timing[]> {
  const rounds = opts.rounds ?? 8;
  const minRounds = Math.min(rounds, opts.minRounds ?? 3);
  const clear = opts.clear ?? 1.6;
  const reps = opts.reps ?? 2;
  const cutoff = opts.cutoff ?? 4;
  const now = opts.now ?? (() => performance.now());
  const times = new Map<BackendId, number[]>(candidates.map((c) => [c.backend, []]));
  const errors = new Map<BackendId, string>();
  const cut = new Set<BackendId>();
  for (let round = 0; round < rounds; round++) {
    for (const c of candidates) {
      if (errors.has(c.backend) || cut.has(c.backend)) continue;
      let run: WorkloadRun | undefined;
      try {
        run = await c.prepare();
        await run.step(); // warm-up: kernels compiled, memory allocated; never judged
        for (let i = 0; i < reps; i++) {
          const t0 = now();
          await run.step();
          times.get(c.backend)!.push(now() - t0);
        }
      } catch (e) {
        errors.set(c.backend, (e as Error).message.split('\n')[0] ?? String(e));
      } finally {
        run?.dispose();
      }
    }
    if (round + 1 >= minRounds) {
      const live = candidates
        .filter((c) => !cut.has(c.backend) && times.get(c.backend)!.length)
        .map((c) => fasterHalfMedian(times.get(c.backend)!))
        .sort((a, b) => a - b);
      if (live.length < 2 || live[1]! >= clear * live[0]!) break; // the verdict is clear
    }
    if (round === 0) {
      const firsts = candidates.filter((c) => times.get(c.backend)!.length).map((c) => fasterHalfMedian(times.get(c.backend)!));
      const best = Math.min(...firsts);
      for (const c of candidates) {
        const ts = times.get(c.backend)!;
        if (c.backend !== opts.keep && ts.length && fasterHalfMedian(ts) > cutoff * best) cut.add(c.backend);
      }
    }
  }
  return candidates.map((c): Timing => {
    const ts = times.get(c.backend)!;
    const err = errors.get(c.backend);
    if (!ts.length) return { workload, backend: c.backend, median_ms: null, reps: 0, error: err ?? 'not measured' };
    return {
      workload,
      backend: c.backend,
      median_ms: round3(fasterHalfMedian(ts)),
      reps: ts.length,
      ...(cut.has(c.backend) ? { note: `measured in the first round only: over ${cutoff}× slower than the best` } : {}),
      ...(err ? { error: err } : {}),
    };
  });
}

/** How busy the machine was while calibrating (see LoadMeter). */
export interface LoadReport {
  /** 1-minute load average at the start and at the end. */
  loadavg_start: number;
  loadavg_end: number;
  cores: number;
  /** Share of all cores busy during the calibration (%), and the part of it that was not this process. */
  busy_pct: number;
  others_pct: number;
}

/** Measures the machine's CPU use between start and stop (os.cpus() times, minus this process's own). */
export class LoadMeter {
  private readonly t0 = cpuTotals();
  private readonly self0 = process.cpuUsage();
  private readonly la0 = loadavg()[0] ?? 0;

  stop(): LoadReport {
    const t1 = cpuTotals();
    const self = process.cpuUsage(this.self0);
    const total = Math.max(1, t1.total - this.t0.total);
    const busy = total - (t1.idle - this.t0.idle);
    const selfMs = (self.user + self.system) / 1000;
    const pct = (v: number) => Math.round(Math.max(0, Math.min(100, (100 * v) / total)) * 10) / 10;
    return {
      loadavg_start: round2(this.la0),
      loadavg_end: round2(loadavg()[0] ?? 0),
      cores: cpus().length,
      busy_pct: pct(busy),
      others_pct: pct(busy - selfMs),
    };
  }
}
const round2 = (v: number) => Math.round(v * 100) / 100;

function cpuTotals(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total };
}

/** The candidate of a backend for a workload: activates it and prepares the workload on it. */
export function candidate(workload: Workload, backend: BackendId, scale?: number): Candidate {
  return {
    backend,
    async prepare() {
      if (backend.startsWith('tfjs:')) {
        const want = backend.slice(5) as TfBackend;
        const { tf, backend: got } = await useTfBackend(want);
        if (got !== want) throw new Error(`${want} could not be initialised (got ${got})`);
        return prepareTf(tf, workload as Exclude<Workload, 'ort-infer'>, scale);
      }
      return prepareOrt(backend.slice(4), scale);
    },
  };
}

/** Every workload × every available backend of its runtime, interleaved per workload (see the header). */
export async function calibrateAll(
  probes: BackendProbe[],
  opts: InterleaveOptions & { workloads?: Workload[]; scale?: number } = {},
): Promise<Timing[]> {
  const held = heldTfBackend();
  if (held && probes.some((p) => p.runtime === 'tfjs' && p.available))
    throw new Error(`a training run holds the tfjs backend (${held}): calibrate again when it ends`);
  const out: Timing[] = [];
  for (const w of WORKLOADS) {
    if (opts.workloads && !opts.workloads.includes(w.name)) continue;
    // the usual winners first (the default is never cut short; a clearly slower one is after the first round)
    const order = probes.filter((p) => p.runtime === w.runtime && p.available).sort((a, b) => rank(a.id) - rank(b.id));
    const keep = w.runtime === 'tfjs' ? 'tfjs:wasm' : 'ort:cpu';
    out.push(...(await interleave(w.name, order.map((p) => candidate(w.name, p.id, opts.scale)), { keep, ...opts })));
  }
  if (out.some((t) => t.backend.startsWith('tfjs:'))) await useTfBackend('wasm');
  return out;
}

const FIRST: string[] = ['tfjs:wasm', 'tfjs:tensorflow', 'ort:cpu'];
const rank = (id: string): number => (FIRST.includes(id) ? FIRST.indexOf(id) : FIRST.length);
