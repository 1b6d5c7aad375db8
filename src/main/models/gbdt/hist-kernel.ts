// The GBDT's hot loop, the histogram build, as a small hand-assembled WebAssembly module (no toolchain needed).
// It runs on the main thread and, unchanged, in the histogram worker threads (./threads.ts), all over one shared
// WebAssembly.Memory (a SharedArrayBuffer).
//
//   build(hist, order, start, end, g, h, bins, cols, list, n)      gradient, hessian and count per bin
//   buildUnit(hist, order, start, end, g, h, bins, cols, list, n)  every hessian is 1: gradient and count only
//   partition(order, start, end, column, nanBin, missingLeft, bin, tmp) → first row of the right child
//   addLeaf(order, start, end, F, v)      F[order[i]] += v for i in [start, end)
//   residual(F, y, g, r0, r1)             g[r] = F[r] − y[r] for r in [r0, r1) (unweighted L2 gradients)
//   zero(ptr, bytes)
//   iota(order, a, b)                     order[i] = i for i in [a, b)
//   sums(order, lo, hi, g, h, out)        out[0] += Σ g[order[i]], out[1] += Σ h[order[i]] (in order)
//
// All arguments are byte addresses or counts. For i in [start, end): row r = order[i] (int32), its gradient g[r] and
// hessian h[r] (float64) are added into the slot of its bin for each of the n features of `list`, a list of
// (column, byte offset of that feature's first slot in hist) int32 pairs; bins is the row-major uint8 bin matrix
// (rows × cols); a slot is three float64 (gradient sum, hessian sum, count). Rows are visited in order, so every
// slot's sums are accumulated in exactly the order the JS loop this replaced used: results are bit-identical, and
// independent of how the features are split between threads. partition is the stable, branch-free split of
// order[start..end) by one column-major bin column (left: bin <= `bin`, or the NaN bin when missingLeft).

const I32 = 0x7f;
const F64 = 0x7c;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

// opcodes
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32c = (v: number) => [0x41, ...sleb(v)];
const f64one = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
const i32load = (off: number) => [0x28, 2, ...uleb(off)];
const load8u = [0x2d, 0, 0];
const f64load = (off: number) => [0x2b, 3, ...uleb(off)];
const f64store = (off: number) => [0x39, 3, ...uleb(off)];
const ADD = 0x6a;
const MUL = 0x6c;
const SHL = 0x74;
const GE_S = 0x4e;
const GE_U = 0x4f;
const EQ = 0x46;
const LE_U = 0x4d;
const SUB = 0x6b;
const SELECT = 0x1b;
const i32store = (off: number) => [0x36, 2, ...uleb(off)];
const MEMCOPY = [0xfc, 0x0a, 0x00, 0x00];
const MEMFILL = [0xfc, 0x0b, 0x00];
const FSUB = 0xa1;
const FADD = 0xa0;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const brIf = (d: number) => [0x0d, d];
const br = (d: number) => [0x0c, d];

// parameters and locals
const P = { hist: 0, order: 1, start: 2, end: 3, g: 4, h: 5, bins: 6, cols: 7, list: 8, n: 9 };
const L = { i: 10, r: 11, base: 12, lp: 13, lend: 14, k: 15, gr: 16, hr: 17 };

function body(unit: boolean): number[] {
  const code = [
    ...get(P.start), ...set(L.i),
    ...get(P.list), ...get(P.n), ...i32c(3), SHL, ADD, ...set(L.lend),
    ...BLOCK, ...LOOP,
    ...get(L.i), ...get(P.end), GE_S, ...brIf(1),
    // r = order[i]; gr = g[r]; hr = h[r]; base = bins + r * cols
    ...get(P.order), ...get(L.i), ...i32c(2), SHL, ADD, ...i32load(0), ...set(L.r),
    ...get(P.g), ...get(L.r), ...i32c(3), SHL, ADD, ...f64load(0), ...set(L.gr),
    ...(unit ? [] : [...get(P.h), ...get(L.r), ...i32c(3), SHL, ADD, ...f64load(0), ...set(L.hr)]),
    ...get(P.bins), ...get(L.r), ...get(P.cols), MUL, ADD, ...set(L.base),
    ...get(P.list), ...set(L.lp),
    ...BLOCK, ...LOOP,
    ...get(L.lp), ...get(L.lend), GE_U, ...brIf(1),
    // k = hist + list[lp].offset + bins[base + list[lp].column] * 24
    ...get(P.hist), ...get(L.lp), ...i32load(4), ADD,
    ...get(L.base), ...get(L.lp), ...i32load(0), ADD, ...load8u, ...i32c(24), MUL, ADD, ...set(L.k),
    ...get(L.k), ...get(L.k), ...f64load(0), ...get(L.gr), FADD, ...f64store(0),
    ...(unit ? [] : [...get(L.k), ...get(L.k), ...f64load(8), ...get(L.hr), FADD, ...f64store(8)]),
    ...get(L.k), ...get(L.k), ...f64load(16), ...f64one, FADD, ...f64store(16),
    ...get(L.lp), ...i32c(8), ADD, ...set(L.lp),
    ...br(0), END, END,
    ...get(L.i), ...i32c(1), ADD, ...set(L.i),
    ...br(0), END, END,
    END,
  ];
  const locals = vec([[...uleb(6), I32], [...uleb(2), F64]]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

// partition(order, start, end, col, nan, ml, bin, tmp) -> l
const Q = { order: 0, start: 1, end: 2, col: 3, nan: 4, ml: 5, bin: 6, tmp: 7, i: 8, l: 9, t: 10, r: 11, b: 12, c: 13 };
function partitionBody(): number[] {
  const code = [
    ...get(Q.start), ...set(Q.i),
    ...get(Q.start), ...set(Q.l),
    ...get(Q.tmp), ...set(Q.t),
    ...BLOCK, ...LOOP,
    ...get(Q.i), ...get(Q.end), GE_S, ...brIf(1),
    // r = order[i]; b = col[r]; c = b == nan ? ml : b <= bin
    ...get(Q.order), ...get(Q.i), ...i32c(2), SHL, ADD, ...i32load(0), ...set(Q.r),
    ...get(Q.col), ...get(Q.r), ADD, ...load8u, ...set(Q.b),
    ...get(Q.ml), ...get(Q.b), ...get(Q.bin), LE_U, ...get(Q.b), ...get(Q.nan), EQ, SELECT, ...set(Q.c),
    // order[l] = r; *t = r; l += c; t += 4 * (1 - c)   (l <= i: never overwrites a row not yet read)
    ...get(Q.order), ...get(Q.l), ...i32c(2), SHL, ADD, ...get(Q.r), ...i32store(0),
    ...get(Q.t), ...get(Q.r), ...i32store(0),
    ...get(Q.l), ...get(Q.c), ADD, ...set(Q.l),
    ...get(Q.t), ...i32c(4), ADD, ...get(Q.c), ...i32c(2), SHL, SUB, ...set(Q.t),
    ...get(Q.i), ...i32c(1), ADD, ...set(Q.i),
    ...br(0), END, END,
    // the right rows after the left ones
    ...get(Q.order), ...get(Q.l), ...i32c(2), SHL, ADD, ...get(Q.tmp), ...get(Q.t), ...get(Q.tmp), SUB, ...MEMCOPY,
    ...get(Q.l),
    END,
  ];
  const fn = [...vec([[...uleb(6), I32]]), ...code];
  return [...uleb(fn.length), ...fn];
}

function fnBody(nI32: number, nF64: number, code: number[]): number[] {
  const locals = nF64 ? vec([[...uleb(nI32), I32], [...uleb(nF64), F64]]) : vec([[...uleb(nI32), I32]]);
  const fn = [...locals, ...code, END];
  return [...uleb(fn.length), ...fn];
}

// addLeaf(order 0, start 1, end 2, F 3, v 4:f64); locals i 5, a 6
const addLeafBody = fnBody(2, 0, [
  ...get(1), ...set(5),
  ...BLOCK, ...LOOP,
  ...get(5), ...get(2), GE_S, ...brIf(1),
  ...get(3), ...get(0), ...get(5), ...i32c(2), SHL, ADD, ...i32load(0), ...i32c(3), SHL, ADD, ...set(6),
  ...get(6), ...get(6), ...f64load(0), ...get(4), FADD, ...f64store(0),
  ...get(5), ...i32c(1), ADD, ...set(5),
  ...br(0), END, END,
]);

// residual(F 0, y 1, g 2, r0 3, r1 4); locals o 5
const residualBody = fnBody(1, 0, [
  ...BLOCK, ...LOOP,
  ...get(3), ...get(4), GE_S, ...brIf(1),
  ...get(3), ...i32c(3), SHL, ...set(5),
  ...get(2), ...get(5), ADD,
  ...get(0), ...get(5), ADD, ...f64load(0), ...get(1), ...get(5), ADD, ...f64load(0), FSUB,
  ...f64store(0),
  ...get(3), ...i32c(1), ADD, ...set(3),
  ...br(0), END, END,
]);

// iota(order 0, a 1, b 2)
const iotaBody = fnBody(0, 0, [
  ...BLOCK, ...LOOP,
  ...get(1), ...get(2), GE_S, ...brIf(1),
  ...get(0), ...get(1), ...i32c(2), SHL, ADD, ...get(1), ...i32store(0),
  ...get(1), ...i32c(1), ADD, ...set(1),
  ...br(0), END, END,
]);

// sums(order 0, lo 1, hi 2, g 3, h 4, out 5); locals r 6, sg 7:f64, sh 8:f64
const sumsBody = fnBody(1, 2, [
  ...get(5), ...f64load(0), ...set(7),
  ...get(5), ...f64load(8), ...set(8),
  ...BLOCK, ...LOOP,
  ...get(1), ...get(2), GE_S, ...brIf(1),
  ...get(0), ...get(1), ...i32c(2), SHL, ADD, ...i32load(0), ...i32c(3), SHL, ...set(6),
  ...get(7), ...get(3), ...get(6), ADD, ...f64load(0), FADD, ...set(7),
  ...get(8), ...get(4), ...get(6), ADD, ...f64load(0), FADD, ...set(8),
  ...get(1), ...i32c(1), ADD, ...set(1),
  ...br(0), END, END,
  ...get(5), ...get(7), ...f64store(0),
  ...get(5), ...get(8), ...f64store(8),
]);

// zero(ptr 0, bytes 1)
const zeroBody = fnBody(0, 0, [...get(0), ...i32c(0), ...get(1), ...MEMFILL]);

/** The module's bytes; it imports env.m, a shared memory of exactly `pages` 64 KiB pages. */
export function kernelBytes(pages: number): Uint8Array {
  const type = [0x60, ...vec(Array.from({ length: 10 }, () => [I32])), 0];
  const ptype = [0x60, ...vec(Array.from({ length: 8 }, () => [I32])), 1, I32];
  const atype = [0x60, ...vec([[I32], [I32], [I32], [I32], [F64]]), 0];
  const rtype = [0x60, ...vec(Array.from({ length: 5 }, () => [I32])), 0];
  const ztype = [0x60, ...vec([[I32], [I32]]), 0];
  const itype = [0x60, ...vec([[I32], [I32], [I32]]), 0];
  const stype = [0x60, ...vec(Array.from({ length: 6 }, () => [I32])), 0];
  const mem = [...str('env'), ...str('m'), 0x02, 0x03, ...uleb(pages), ...uleb(pages)];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type, ptype, atype, rtype, ztype, itype, stype])),
    ...section(2, vec([mem])),
    ...section(3, vec([[0], [0], [1], [2], [3], [4], [5], [6]])),
    ...section(
      7,
      vec([
        [...str('build'), 0, 0],
        [...str('buildUnit'), 0, 1],
        [...str('partition'), 0, 2],
        [...str('addLeaf'), 0, 3],
        [...str('residual'), 0, 4],
        [...str('zero'), 0, 5],
        [...str('iota'), 0, 6],
        [...str('sums'), 0, 7],
      ]),
    ),
    ...section(10, vec([body(false), body(true), partitionBody(), addLeafBody, residualBody, zeroBody, iotaBody, sumsBody])),
  ]);
}

export type BuildFn = (
  hist: number,
  order: number,
  start: number,
  end: number,
  g: number,
  h: number,
  bins: number,
  cols: number,
  list: number,
  n: number,
) => void;

export interface Kernel {
  build: BuildFn;
  buildUnit: BuildFn;
  partition(order: number, start: number, end: number, column: number, nanBin: number, missingLeft: number, bin: number, tmp: number): number;
  addLeaf(order: number, start: number, end: number, F: number, v: number): void;
  residual(F: number, y: number, g: number, r0: number, r1: number): void;
  zero(ptr: number, bytes: number): void;
  iota(order: number, a: number, b: number): void;
  sums(order: number, lo: number, hi: number, g: number, h: number, out: number): void;
}

// The few WebAssembly globals used here (this project's TS lib has no WebAssembly declarations).
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
export type WasmModule = object;
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export function sharedMemory(pages: number): WasmMemory {
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}

export function compileKernel(pages: number): WasmModule {
  return new wasm.Module(kernelBytes(pages));
}

export function instantiate(module: WasmModule, memory: WasmMemory): Kernel {
  return new wasm.Instance(module, { env: { m: memory } }).exports as Kernel;
}
