// The GBDT's per-row work over shared memory, on this thread and worker threads together.
//
// One WebAssembly.Memory (shared: a SharedArrayBuffer) holds the bins, the row order, gradients, hessians, the
// margins F and the labels, and the histogram buffers; the same wasm kernel (./hist-kernel.ts) runs on every thread.
// The rows are cut into a fixed number of shards that depends on the row count only (never on the thread count). Each
// shard keeps its rows in its own segment of `order`, partitions them itself and builds its own histogram of a node;
// the shard histograms are then summed in shard order. A job (root histogram, split = partition + histogram of the
// smaller child, apply = add the leaf values to F and take the new L2 gradients) is split by shard, and the threads
// claim shards one at a time (work stealing through one atomic word, so a descheduled worker never holds a job up:
// this thread takes whatever has not been claimed). Every float is therefore computed by the same operations in the
// same order whatever the thread count, and the model is bit-identical for 1, 2 or 8 threads.
//
// The workers are eval'd scripts (no project module is loaded in them: the shard runner is passed as source), started
// on first use, kept in a small unref'd pool (it never keeps the process alive) and reused by later trainings.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compileKernel, instantiate, sharedMemory, type Kernel } from './hist-kernel.js';

/** Control block layout (int32 words). */
const C = {
  GEN: 0, // job generation: bumped to start a job (or to stop)
  CLAIM: 1, // gen << 8 | next shard
  DONE: 2, // shards finished in this job
  STOP: 3,
  ERR: 4,
  KIND: 5, // 0 root histogram, 1 split, 2 apply
  NSHARD: 6,
  UNIT: 7,
  NU: 8,
  COL: 9,
  NAN: 10,
  ML: 11,
  BIN: 12,
  SMALL_LEFT: 13,
  NLEAVES: 14,
  RESID: 15,
  HSIZE: 16, // float64 per histogram
  ROWS: 17,
  COLS: 18,
  ORDER: 19,
  G: 20,
  H: 21,
  F: 22,
  Y: 23,
  BINS: 24,
  COLBINS: 25,
  TMP: 26,
  LIST: 27,
  TAB: 28, // per shard: lo, hi, mid, unused
  SEG: 29, // shard row bounds, NSHARD + 1
  SHIST: 30, // shard histograms
  LEAVES: 31, // per leaf per shard: lo, hi
  VALUES: 32, // leaf values (float64)
  BY_WORKERS: 33, // shards run by worker threads (diagnostics)
  WORDS: 40,
} as const;
type Layout = typeof C;

/** One shard's part of the current job; runs on any thread. Self-contained (it is also sent to workers as source). */
export function runShard(k: Kernel, c: Int32Array, i32: Int32Array, f64: Float64Array, L: Layout, s: number): void {
  const kind = c[L.KIND]!;
  const tab = (c[L.TAB]! >> 2) + 4 * s;
  const hs = c[L.SHIST]! + s * c[L.HSIZE]! * 8;
  const order = c[L.ORDER]!;
  if (kind === 2) {
    const S = c[L.NSHARD]!;
    const lv = c[L.LEAVES]! >> 2;
    const vals = c[L.VALUES]! >> 3;
    const F = c[L.F]!;
    for (let j = 0, n = c[L.NLEAVES]!; j < n; j++) {
      const a = lv + 2 * (j * S + s);
      k.addLeaf(order, i32[a]!, i32[a + 1]!, F, f64[vals + j]!);
    }
    if (c[L.RESID]) {
      const seg = c[L.SEG]! >> 2;
      k.residual(F, c[L.Y]!, c[L.G]!, i32[seg + s]!, i32[seg + s + 1]!);
    }
    return;
  }
  const fn = c[L.UNIT] ? k.buildUnit : k.build;
  let lo = i32[tab]!;
  let hi = i32[tab + 1]!;
  if (kind === 1) {
    const mid = k.partition(order, lo, hi, c[L.COLBINS]! + c[L.COL]! * c[L.ROWS]!, c[L.NAN]!, c[L.ML]!, c[L.BIN]!, c[L.TMP]! + lo * 4);
    i32[tab + 2] = mid;
    if (c[L.SMALL_LEFT]) hi = mid;
    else lo = mid;
  }
  k.zero(hs, c[L.HSIZE]! * 8);
  fn(hs, order, lo, hi, c[L.G]!, c[L.H]!, c[L.BINS]!, c[L.COLS]!, c[L.LIST]!, c[L.NU]!);
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.ping) return parentPort.postMessage('pong');
  const L = m.layout;
  const k = new WebAssembly.Instance(m.module, { env: { m: m.memory } }).exports;
  const run = (0, eval)('(' + m.runner + ')');
  const buf = m.memory.buffer;
  const c = new Int32Array(buf, m.ctl, L.WORDS), i32 = new Int32Array(buf), f64 = new Float64Array(buf);
  let seen = 0;
  for (;;) {
    let gen = Atomics.load(c, L.GEN);
    for (let s = 0; gen === seen && s < 20000; s++) gen = Atomics.load(c, L.GEN);
    if (gen === seen) { Atomics.wait(c, L.GEN, seen, 1000); continue; }
    seen = gen;
    if (Atomics.load(c, L.STOP) !== 0) break;
    const n = Atomics.load(c, L.NSHARD);
    for (;;) {
      const v = Atomics.load(c, L.CLAIM);
      if (v >>> 8 !== gen || (v & 255) >= n) break;
      if (Atomics.compareExchange(c, L.CLAIM, v, v + 1) !== v) continue;
      try { run(k, c, i32, f64, L, v & 255); } catch (e) { Atomics.store(c, L.ERR, 1); }
      Atomics.add(c, L.BY_WORKERS, 1);
      if (Atomics.add(c, L.DONE, 1) + 1 === n) Atomics.notify(c, L.DONE);
    }
  }
});
`;

const pool: Worker[] = [];
let poolBroken = false;

function workers(n: number): Worker[] {
  while (!poolBroken && pool.length < n) {
    try {
      const w = new Worker(WORKER_SOURCE, { eval: true, name: 'pitwall-gbdt' });
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

/** Starts (at least) n pooled worker threads and resolves when they are running. */
export async function warmHistThreads(n: number): Promise<number> {
  const ws = workers(n);
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((resolve) => {
          // a message round trip: the worker's message handler is installed
          w.once('message', () => resolve());
          w.postMessage({ ping: true });
        }),
    ),
  );
  return ws.length;
}

let byWorkers = 0;
/** Shards of training jobs that worker threads have run in this process (diagnostics: are the threads used?). */
export function workerShards(): number {
  return byWorkers;
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

/** Shards for a row count: one below 32,768 rows (small data trains exactly as a plain sequential loop), at most 8. */
export function shardCount(rows: number): number {
  return Math.max(1, Math.min(8, Math.floor(rows / 32_768)));
}

/** Jobs touching fewer rows than this run on this thread alone (waking a worker costs more than it saves). */
const MIN_PARALLEL_ROWS = 6_000;

const PAGE = 65536;
const align = (n: number) => (n + 63) & ~63;

export class HistBuilder {
  readonly order: Int32Array;
  readonly g: Float64Array;
  readonly h: Float64Array;
  /** Margins of the training rows. */
  readonly F: Float64Array;
  readonly y: Float64Array;
  /** Row-major bins, rows × cols (histograms). */
  readonly bins: Uint8Array;
  /** Column-major bins, cols × rows (partitions). */
  readonly colBins: Uint8Array;
  /** Free histogram buffers (`histSize` float64 each). */
  readonly hists: Float64Array[] = [];
  readonly shards: number;
  /** Row bounds of the shards (shards + 1). */
  readonly seg: Int32Array;
  private readonly tab: Int32Array;
  private readonly leafTab: Int32Array;
  private readonly values: Float64Array;
  private readonly shist: Float64Array[] = [];
  private readonly list: Int32Array;
  private readonly ctl: Int32Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly kernel: Kernel;
  private readonly threads: number;
  private gen = 0;

  constructor(
    private readonly rows: number,
    private readonly cols: number,
    private readonly histSize: number,
    maxLeaves: number,
    threads: number,
  ) {
    const S = (this.shards = shardCount(rows));
    const at: Record<string, number> = {};
    let p = 0;
    const put = (name: string, bytes: number) => {
      at[name] = p;
      p = align(p + bytes);
    };
    put('ctl', C.WORDS * 4);
    put('list', cols * 8);
    put('tab', S * 16);
    put('seg', (S + 1) * 4);
    put('leaves', maxLeaves * S * 8);
    put('values', Math.max(2, maxLeaves) * 8);
    put('order', rows * 4);
    put('tmp', rows * 4);
    put('g', rows * 8);
    put('h', rows * 8);
    put('F', rows * 8);
    put('y', rows * 8);
    put('shist', S * histSize * 8);
    put('hists', (maxLeaves + 1) * histSize * 8);
    put('bins', rows * cols);
    put('colBins', rows * cols);
    const pages = Math.ceil(p / PAGE) + 1;
    if (pages > 65536) throw new Error(`trainGbdt: ${rows}×${cols} is too large for the training memory (4 GiB)`);
    const memory = sharedMemory(pages);
    const module = compileKernel(pages);
    this.kernel = instantiate(module, memory);
    const buf = memory.buffer;
    const A = (k: string) => at[k]!;
    this.ctl = new Int32Array(buf, A('ctl'), C.WORDS);
    this.i32 = new Int32Array(buf);
    this.f64 = new Float64Array(buf);
    this.list = new Int32Array(buf, A('list'), cols * 2);
    this.tab = new Int32Array(buf, A('tab'), S * 4);
    this.seg = new Int32Array(buf, A('seg'), S + 1);
    this.leafTab = new Int32Array(buf, A('leaves'), maxLeaves * S * 2);
    this.values = new Float64Array(buf, A('values'), Math.max(2, maxLeaves));
    this.order = new Int32Array(buf, A('order'), rows);
    this.g = new Float64Array(buf, A('g'), rows);
    this.h = new Float64Array(buf, A('h'), rows);
    this.F = new Float64Array(buf, A('F'), rows);
    this.y = new Float64Array(buf, A('y'), rows);
    this.bins = new Uint8Array(buf, A('bins'), rows * cols);
    this.colBins = new Uint8Array(buf, A('colBins'), rows * cols);
    for (let i = 0; i <= maxLeaves; i++) this.hists.push(new Float64Array(buf, A('hists') + i * histSize * 8, histSize));
    for (let s = 0; s < S; s++) this.shist.push(new Float64Array(buf, A('shist') + s * histSize * 8, histSize));
    for (let s = 0; s <= S; s++) this.seg[s] = Math.floor((s * rows) / S);
    const c = this.ctl;
    const words: [number, number][] = [
      [C.NSHARD, S],
      [C.HSIZE, histSize],
      [C.ROWS, rows],
      [C.COLS, cols],
      [C.ORDER, A('order')],
      [C.G, A('g')],
      [C.H, A('h')],
      [C.F, A('F')],
      [C.Y, A('y')],
      [C.BINS, A('bins')],
      [C.COLBINS, A('colBins')],
      [C.TMP, A('tmp')],
      [C.LIST, A('list')],
      [C.TAB, A('tab')],
      [C.SEG, A('seg')],
      [C.SHIST, A('shist')],
      [C.LEAVES, A('leaves')],
      [C.VALUES, A('values')],
    ];
    for (const [i, v] of words) Atomics.store(c, i, v);
    const ws = threads > 1 && S > 1 ? workers(Math.min(threads, S) - 1) : [];
    this.threads = ws.length + 1;
    for (const w of ws) w.postMessage({ module, memory, ctl: A('ctl'), layout: C, runner: runShard.toString() });
  }

  get threadCount(): number {
    return this.threads;
  }

  /** Fills each shard's segment of `order` with its in-bag rows (all when inBag is null); returns hi per shard. */
  fillOrder(inBag: Uint8Array | null): Int32Array {
    const { seg, order } = this;
    const hi = new Int32Array(this.shards);
    for (let s = 0; s < this.shards; s++) {
      const a = seg[s]!;
      const b = seg[s + 1]!;
      if (!inBag) {
        this.kernel.iota(order.byteOffset, a, b);
        hi[s] = b;
      } else {
        let n = a;
        for (let r = a; r < b; r++) if (inBag[r]) order[n++] = r;
        hi[s] = n;
      }
    }
    return hi;
  }

  /** [Σ g, Σ h] over order[lo[s]..hi[s]), shard after shard, each in row order. */
  sums(lo: Int32Array, hi: Int32Array): [number, number] {
    const out = this.values.byteOffset; // scratch: the leaf values are written only by apply()
    this.values[0] = 0;
    this.values[1] = 0;
    for (let s = 0; s < this.shards; s++) this.kernel.sums(this.order.byteOffset, lo[s]!, hi[s]!, this.g.byteOffset, this.h.byteOffset, out);
    return [this.values[0]!, this.values[1]!];
  }

  /** The features the next histograms cover: columns `used`, whose first slot in a histogram is `slot[column]`. */
  setFeatures(used: Int32Array, slot: Int32Array): void {
    Atomics.store(this.ctl, C.NU, used.length);
    for (let u = 0; u < used.length; u++) {
      this.list[2 * u] = used[u]!;
      this.list[2 * u + 1] = slot[used[u]!]! * 8;
    }
  }

  /** Histogram of a node whose rows are order[lo[s]..hi[s]) in each shard s, into `hist` (overwritten). */
  root(hist: Float64Array, lo: Int32Array, hi: Int32Array, unit: boolean): void {
    for (let s = 0; s < this.shards; s++) {
      this.tab[4 * s] = lo[s]!;
      this.tab[4 * s + 1] = hi[s]!;
    }
    Atomics.store(this.ctl, C.UNIT, unit ? 1 : 0);
    this.run(0, span(lo, hi));
    this.merge(hist);
  }

  /** Splits a node (rows order[lo[s]..hi[s]) per shard) on column f and builds the histogram of the smaller child
   *  into `hist`; writes each shard's first right-child position into `mid`. */
  split(lo: Int32Array, hi: Int32Array, mid: Int32Array, f: number, nanBin: number, missingLeft: boolean, bin: number, smallLeft: boolean, hist: Float64Array, unit: boolean): void {
    const c = this.ctl;
    for (let s = 0; s < this.shards; s++) {
      this.tab[4 * s] = lo[s]!;
      this.tab[4 * s + 1] = hi[s]!;
    }
    Atomics.store(c, C.UNIT, unit ? 1 : 0);
    Atomics.store(c, C.COL, f);
    Atomics.store(c, C.NAN, nanBin);
    Atomics.store(c, C.ML, missingLeft ? 1 : 0);
    Atomics.store(c, C.BIN, bin);
    Atomics.store(c, C.SMALL_LEFT, smallLeft ? 1 : 0);
    this.run(1, span(lo, hi));
    for (let s = 0; s < this.shards; s++) mid[s] = this.tab[4 * s + 2]!;
    this.merge(hist);
  }

  /** Adds leaf j's value to F for its rows (leafLo/leafHi[j][s] per shard); with `residual`, then g = F − y. */
  apply(leafLo: Int32Array[], leafHi: Int32Array[], values: ArrayLike<number>, residual: boolean): void {
    const S = this.shards;
    for (let j = 0; j < leafLo.length; j++) {
      this.values[j] = values[j]!;
      for (let s = 0; s < S; s++) {
        this.leafTab[2 * (j * S + s)] = leafLo[j]![s]!;
        this.leafTab[2 * (j * S + s) + 1] = leafHi[j]![s]!;
      }
    }
    Atomics.store(this.ctl, C.NLEAVES, leafLo.length);
    Atomics.store(this.ctl, C.RESID, residual ? 1 : 0);
    this.run(2, this.rows);
  }

  /** hist = Σ shard histograms, in shard order. */
  private merge(hist: Float64Array): void {
    hist.set(this.shist[0]!);
    for (let s = 1; s < this.shards; s++) {
      const a = this.shist[s]!;
      for (let i = 0; i < this.histSize; i++) hist[i]! += a[i]!;
    }
  }

  private run(kind: number, rows: number): void {
    const c = this.ctl;
    const S = this.shards;
    Atomics.store(c, C.KIND, kind);
    if (this.threads === 1 || rows < MIN_PARALLEL_ROWS) {
      for (let s = 0; s < S; s++) runShard(this.kernel, c, this.i32, this.f64, C, s);
      return;
    }
    this.gen = (this.gen + 1) & 0x7fffff || 1;
    const gen = this.gen;
    Atomics.store(c, C.DONE, 0);
    Atomics.store(c, C.CLAIM, gen << 8);
    Atomics.store(c, C.GEN, gen);
    Atomics.notify(c, C.GEN);
    for (;;) {
      const v = Atomics.load(c, C.CLAIM);
      if ((v & 255) >= S) break;
      if (Atomics.compareExchange(c, C.CLAIM, v, v + 1) !== v) continue;
      runShard(this.kernel, c, this.i32, this.f64, C, v & 255);
      Atomics.add(c, C.DONE, 1);
    }
    let d = Atomics.load(c, C.DONE);
    for (let i = 0; d < S && i < 200_000; i++) d = Atomics.load(c, C.DONE);
    while (d < S) {
      Atomics.wait(c, C.DONE, d, 20);
      d = Atomics.load(c, C.DONE);
    }
    if (Atomics.load(c, C.ERR)) throw new Error('trainGbdt: a histogram worker thread failed (train with threads: 1)');
  }

  /** Releases the workers (they return to the pool); the builder is unusable afterwards. */
  close(): void {
    byWorkers += Atomics.load(this.ctl, C.BY_WORKERS);
    Atomics.store(this.ctl, C.STOP, 1);
    this.gen = (this.gen + 1) & 0x7fffff || 1;
    Atomics.store(this.ctl, C.GEN, this.gen);
    Atomics.notify(this.ctl, C.GEN);
  }
}

function span(lo: Int32Array, hi: Int32Array): number {
  let n = 0;
  for (let s = 0; s < lo.length; s++) n += hi[s]! - lo[s]!;
  return n;
}
