// Histogram building over shared memory, on this thread and worker threads together.
//
// One WebAssembly.Memory (shared: a SharedArrayBuffer) holds the row-major bins, the row order, the gradients and
// hessians and the histogram buffers; the same wasm kernel (./hist-kernel.ts) runs on every thread. A histogram job
// is split by feature into chunks that the threads claim one at a time (work stealing through one atomic word, so a
// descheduled worker never holds the job up: this thread simply takes the chunks it has not claimed). Each slot of a
// histogram is written by exactly one thread, which visits the rows in the same order as a single thread: results are
// bit-identical whatever the thread count and whoever computes which feature.
//
// The workers are plain eval'd scripts (no project module is loaded in them), started on first use, kept in a small
// pool that is unref'd (it never keeps the process alive) and reused by later trainings.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compileKernel, instantiate, sharedMemory, type Kernel } from './hist-kernel.js';

// control words (int32 index in the control block)
const GEN = 0; // job generation: bumped to start a job (or to stop)
const CLAIM = 1; // gen << 8 | next chunk
const DONE = 2; // chunks finished in this job
const STOP = 3;
const NCHUNK = 4;
const CHUNK = 5; // features per chunk
const A_HIST = 6;
const A_START = 7;
const A_END = 8;
const A_UNIT = 9;
const A_NU = 10;
const A_ORDER = 11;
const A_G = 12;
const A_H = 13;
const A_BINS = 14;
const A_COLS = 15;
const A_LIST = 16;
const CTL_WORDS = 32;

/** Below this many bin updates a job runs on this thread alone (waking a worker costs more than it saves). */
const MIN_PARALLEL = 1 << 15;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  const k = new WebAssembly.Instance(m.module, { env: { m: m.memory } }).exports;
  const c = new Int32Array(m.memory.buffer, m.ctl, ${CTL_WORDS});
  let seen = m.gen;
  for (;;) {
    let gen = Atomics.load(c, ${GEN});
    for (let s = 0; gen === seen && s < 20000; s++) gen = Atomics.load(c, ${GEN});
    if (gen === seen) { Atomics.wait(c, ${GEN}, seen, 1000); continue; }
    seen = gen;
    if (Atomics.load(c, ${STOP}) !== 0) break;
    const n = Atomics.load(c, ${NCHUNK}), cs = Atomics.load(c, ${CHUNK}), nu = Atomics.load(c, ${A_NU});
    const hist = Atomics.load(c, ${A_HIST}), start = Atomics.load(c, ${A_START}), end = Atomics.load(c, ${A_END});
    const order = Atomics.load(c, ${A_ORDER}), g = Atomics.load(c, ${A_G}), h = Atomics.load(c, ${A_H});
    const bins = Atomics.load(c, ${A_BINS}), cols = Atomics.load(c, ${A_COLS}), list = Atomics.load(c, ${A_LIST});
    const fn = Atomics.load(c, ${A_UNIT}) !== 0 ? k.buildUnit : k.build;
    for (;;) {
      const v = Atomics.load(c, ${CLAIM});
      if (v >>> 8 !== gen || (v & 255) >= n) break;
      if (Atomics.compareExchange(c, ${CLAIM}, v, v + 1) !== v) continue;
      const f0 = (v & 255) * cs;
      fn(hist, order, start, end, g, h, bins, cols, list + f0 * 8, Math.min(cs, nu - f0));
      if (Atomics.add(c, ${DONE}, 1) + 1 === n) Atomics.notify(c, ${DONE});
    }
  }
});
`;

const pool: Worker[] = [];
let poolBroken = false;

function workers(n: number): Worker[] {
  while (!poolBroken && pool.length < n) {
    try {
      const w = new Worker(WORKER_SOURCE, { eval: true, name: 'pitwall-gbdt-hist' });
      w.unref();
      w.on('error', () => {
        const i = pool.indexOf(w);
        if (i >= 0) pool.splice(i, 1);
      });
      pool.push(w);
    } catch {
      poolBroken = true; // no worker threads here: one thread
    }
  }
  return pool.slice(0, n);
}

/** Ends the pooled worker threads (they are unref'd, so this is only needed for a clean shutdown). */
export async function closeHistThreads(): Promise<void> {
  const ws = pool.splice(0);
  await Promise.all(ws.map((w) => w.terminate()));
}

/** Threads used when the caller does not say: PITWALL_GBDT_THREADS, else the cores (at most 8). */
export function defaultThreads(): number {
  const env = Number(process.env.PITWALL_GBDT_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 64);
  return Math.max(1, Math.min(8, availableParallelism()));
}

const PAGE = 65536;
const align = (n: number) => (n + 63) & ~63;

export class HistBuilder {
  readonly order: Int32Array;
  readonly g: Float64Array;
  readonly h: Float64Array;
  /** Row-major bins, rows × cols (histograms). */
  readonly bins: Uint8Array;
  /** Column-major bins, cols × rows (partitions). */
  readonly colBins: Uint8Array;
  private readonly tmpAt: number;
  private readonly colAt: number;
  private readonly rows: number;
  /** Free histogram buffers (`histSize` float64 each). */
  readonly hists: Float64Array[] = [];
  private readonly list: Int32Array;
  private readonly ctl: Int32Array;
  private readonly kernel: Kernel;
  private nu = 0;
  private gen = 0;
  private readonly threads: number;

  constructor(
    rows: number,
    private readonly cols: number,
    histSize: number,
    nHists: number,
    threads: number,
  ) {
    let p = 0;
    const ctlAt = p;
    p = align(p + CTL_WORDS * 4);
    const listAt = p;
    p = align(p + cols * 8);
    const orderAt = p;
    p = align(p + rows * 4);
    const gAt = p;
    p = align(p + rows * 8);
    const hAt = p;
    p = align(p + rows * 8);
    const histAt = p;
    p = align(p + nHists * histSize * 8);
    const binsAt = p;
    p = align(p + rows * cols);
    const colAt = p;
    p = align(p + rows * cols);
    const tmpAt = p;
    p = align(p + rows * 4);
    const pages = Math.ceil(p / PAGE) + 1;
    if (pages > 65536) throw new Error(`trainGbdt: ${rows}×${cols} is too large for the histogram memory (4 GiB)`);
    const memory = sharedMemory(pages);
    const module = compileKernel(pages);
    this.kernel = instantiate(module, memory);
    const buf = memory.buffer;
    this.ctl = new Int32Array(buf, ctlAt, CTL_WORDS);
    this.list = new Int32Array(buf, listAt, cols * 2);
    this.order = new Int32Array(buf, orderAt, rows);
    this.g = new Float64Array(buf, gAt, rows);
    this.h = new Float64Array(buf, hAt, rows);
    this.bins = new Uint8Array(buf, binsAt, rows * cols);
    this.colBins = new Uint8Array(buf, colAt, rows * cols);
    this.rows = rows;
    this.colAt = colAt;
    this.tmpAt = tmpAt;
    for (let i = 0; i < nHists; i++) this.hists.push(new Float64Array(buf, histAt + i * histSize * 8, histSize));
    const c = this.ctl;
    Atomics.store(c, A_ORDER, orderAt);
    Atomics.store(c, A_G, gAt);
    Atomics.store(c, A_H, hAt);
    Atomics.store(c, A_BINS, binsAt);
    Atomics.store(c, A_COLS, cols);
    Atomics.store(c, A_LIST, listAt);
    const ws = threads > 1 ? workers(threads - 1) : [];
    this.threads = ws.length + 1;
    for (const w of ws) w.postMessage({ module, memory, ctl: ctlAt, gen: 0 });
  }

  /** The features the next builds cover: columns `used` whose first slot in a histogram is `slot[column]`. */
  setFeatures(used: Int32Array, slot: Int32Array): void {
    this.nu = used.length;
    for (let u = 0; u < used.length; u++) {
      this.list[2 * u] = used[u]!;
      this.list[2 * u + 1] = slot[used[u]!]! * 8;
    }
  }

  /** Adds rows order[start..end) into `hist` (one of `hists`, zeroed by the caller). */
  build(hist: Float64Array, start: number, end: number, unit: boolean): void {
    const { kernel: k, ctl: c, nu } = this;
    const fn = unit ? k.buildUnit : k.build;
    const order = c[A_ORDER]!;
    const g = c[A_G]!;
    const h = c[A_H]!;
    const bins = c[A_BINS]!;
    const list = c[A_LIST]!;
    if (this.threads === 1 || nu < 2 || (end - start) * nu < MIN_PARALLEL) {
      fn(hist.byteOffset, order, start, end, g, h, bins, this.cols, list, nu);
      return;
    }
    const cs = Math.max(1, Math.ceil(nu / Math.min(255, 2 * this.threads)));
    const n = Math.ceil(nu / cs);
    this.gen = (this.gen + 1) & 0x7fffff || 1;
    const gen = this.gen;
    Atomics.store(c, NCHUNK, n);
    Atomics.store(c, CHUNK, cs);
    Atomics.store(c, A_NU, nu);
    Atomics.store(c, A_HIST, hist.byteOffset);
    Atomics.store(c, A_START, start);
    Atomics.store(c, A_END, end);
    Atomics.store(c, A_UNIT, unit ? 1 : 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, CLAIM, gen << 8);
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    for (;;) {
      const v = Atomics.load(c, CLAIM);
      if ((v & 255) >= n) break;
      if (Atomics.compareExchange(c, CLAIM, v, v + 1) !== v) continue;
      const f0 = (v & 255) * cs;
      fn(hist.byteOffset, order, start, end, g, h, bins, this.cols, list + f0 * 8, Math.min(cs, nu - f0));
      Atomics.add(c, DONE, 1);
    }
    let d = Atomics.load(c, DONE);
    for (let s = 0; d < n && s < 100000; s++) d = Atomics.load(c, DONE);
    while (d < n) {
      Atomics.wait(c, DONE, d, 50);
      d = Atomics.load(c, DONE);
    }
  }

  /** Stable split of order[start..end) on column `f`: left = bin <= `bin` (the NaN bin: missingLeft). Returns the
   *  first position of the right rows. */
  partition(start: number, end: number, f: number, nanBin: number, missingLeft: boolean, bin: number): number {
    return this.kernel.partition(this.ctl[A_ORDER]!, start, end, this.colAt + f * this.rows, nanBin, missingLeft ? 1 : 0, bin, this.tmpAt);
  }

  /** Releases the workers (they return to the pool); the builder is unusable afterwards. */
  close(): void {
    Atomics.store(this.ctl, STOP, 1);
    this.gen = (this.gen + 1) & 0x7fffff || 1;
    Atomics.store(this.ctl, GEN, this.gen);
    Atomics.notify(this.ctl, GEN);
  }

  get threadCount(): number {
    return this.threads;
  }
}
