// Histogram GBDT training (LightGBM-style): uint8 bins (column-major for partitions, a row-major copy for
// histograms), leaf-wise growth with numLeaves/maxDepth, second-order gain with L2, histogram subtraction (build the
// smaller child, subtract for the larger), per-tree feature subsampling, per-round bagging, early stopping on a
// validation set. Deterministic per seed, and identical whatever the thread count: histograms are built by a wasm
// kernel over shared memory, split by feature between threads (./hist-threads.ts).
import { applyBins, fitBins, type BinMapper, type Matrix } from './binning.js';
import { HistBuilder, defaultThreads } from './hist-threads.js';
import { gradients, initScore, metric, type Labels } from './objective.js';
import { DEFAULT_PARAMS, type GbdtParams } from './params.js';
import { Tree } from './tree.js';
import { GbdtModel } from './model.js';
import { seededRng } from '../../util/rng.js';


export interface GbdtDataset extends Labels {
  /** Row-major features, rows × cols; NaN = missing. */
  x: Matrix;
  rows: number;
  cols: number;
  /** Per-row starting margin (like XGBoost's base_margin): boosting starts from it; not part of the model. */
  baseMargin?: ArrayLike<number>;
}

export interface TrainOptions {
  featureNames?: string[];
  /** Custom validation metric on raw scores (lower = better); defaults to the objective's. */
  validMetric?: (raw: Float64Array, valid: GbdtDataset) => number;
  onRound?: (round: number, train: number, valid: number | undefined) => void;
  /** Threads building histograms (default: PITWALL_GBDT_THREADS, else the cores, at most 8). The model is the same
   *  for any count. */
  threads?: number;
}


/** Deterministic PRNG for bagging and feature sampling (seed 0 maps to a non-zero state). */
export const rng = seededRng;

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  lG: number;
  lH: number;
  lC: number;
}

interface Leaf {
  node: number;
  /** Rows order[lo[s]..hi[s]) of each shard. */
  lo: Int32Array;
  hi: Int32Array;
  n: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array;
  split: Split | null;
}

export function trainGbdt(train: GbdtDataset, params: Partial<GbdtParams> = {}, valid?: GbdtDataset, opts: TrainOptions = {}): GbdtModel {
  const p: GbdtParams = { ...DEFAULT_PARAMS, ...params };
  const { rows, cols } = train;
  if (rows === 0) throw new Error('trainGbdt: no training rows');
  if (train.x.length !== rows * cols) throw new Error(`trainGbdt: x has ${train.x.length} values, expected ${rows}×${cols}`);
  const map = fitBins(train.x, rows, cols, p.maxBins);
  const B = applyBins(map, train.x, rows, cols);
  const threads = Math.max(1, Math.floor(opts.threads ?? defaultThreads()));
  const grower = new TreeGrower(map, B, rows, cols, p, (p.objective === 'regression' || p.objective === 'huber') && !train.weight, threads);
  try {
    return boost(train, p, valid, opts, grower);
  } finally {
    grower.close();
  }
}

function boost(train: GbdtDataset, p: GbdtParams, valid: GbdtDataset | undefined, opts: TrainOptions, grower: TreeGrower): GbdtModel {
  const { rows, cols } = train;
  const rand = rng(p.seed);

  const init = initScore(p.objective, train, rows);
  const { g, h, F } = grower;
  for (let i = 0; i < rows; i++) F[i] = init + (train.baseMargin ? train.baseMargin[i]! : 0);
  // unweighted L2: the kernel takes the next round's gradients (F − y) while it adds the leaf values
  const residual = p.objective === 'regression' && !train.weight;
  if (residual) for (let i = 0; i < rows; i++) grower.y[i] = train.y[i]!;
  let fresh = false; // g, h already hold this round's gradients
  const VF = valid ? Float64Array.from({ length: valid.rows }, (_, i) => init + (valid.baseMargin ? valid.baseMargin[i]! : 0)) : undefined;
  const trees: Tree[] = [];
  let best = Infinity;
  let bestIter = 0;
  const inBag = new Uint8Array(rows);
  const k = Math.max(1, Math.round(p.featureFraction * cols));
  const feats = Int32Array.from({ length: cols }, (_, i) => i);

  for (let it = 0; it < p.numRounds; it++) {
    if (!fresh) gradients(p.objective, train, rows, F, g, h, p.huberDelta);
    // bagging (by group when groups exist)
    let nBag = rows;
    if (p.baggingFraction < 1) {
      nBag = 0;
      if (train.group) {
        let keep = false;
        for (let i = 0; i < rows; i++) {
          if (i === 0 || train.group[i] !== train.group[i - 1]) keep = rand() < p.baggingFraction;
          inBag[i] = keep ? 1 : 0;
          nBag += inBag[i]!;
        }
      } else
        for (let i = 0; i < rows; i++) {
          inBag[i] = rand() < p.baggingFraction ? 1 : 0;
          nBag += inBag[i]!;
        }
    } else inBag.fill(1);
    // feature subset: partial Fisher–Yates
    for (let i = 0; i < k && k < cols; i++) {
      const j = i + Math.floor(rand() * (cols - i));
      const t = feats[i]!;
      feats[i] = feats[j]!;
      feats[j] = t;
    }
    const used = k < cols ? feats.slice(0, k).sort() : feats;
    fresh = residual && nBag === rows && it + 1 < p.numRounds;
    const tree = grower.grow(inBag, nBag, used, fresh);
    // out-of-bag rows: route by bins
    if (nBag < rows) for (let r = 0; r < rows; r++) if (!inBag[r]) F[r]! += grower.predictBinned(tree, r);
    trees.push(tree);
    let vm: number | undefined;
    if (valid && VF) {
      for (let r = 0; r < valid.rows; r++) VF[r]! += tree.predictRow(valid.x, cols, r);
      vm = opts.validMetric ? opts.validMetric(VF, valid) : metric(p.objective, valid, valid.rows, VF);
      if (vm < best - 1e-12) {
        best = vm;
        bestIter = it + 1;
      } else if (p.earlyStoppingRounds > 0 && it + 1 - bestIter >= p.earlyStoppingRounds) break;
    }
    if (opts.onRound) opts.onRound(it + 1, metric(p.objective, train, rows, F), vm);
  }
  const keep = valid && p.earlyStoppingRounds > 0 ? Math.max(1, bestIter) : trees.length;
  return new GbdtModel({
    objective: p.objective,
    numFeatures: cols,
    featureNames: opts.featureNames ?? Array.from({ length: cols }, (_, i) => `f${i}`),
    initScore: init,
    trees: trees.slice(0, keep),
    bestIteration: keep,
    params: p,
  });
}

/** Grows one tree on the binned matrix; adds the leaf outputs to F for in-bag rows. */
class TreeGrower {
  private readonly off: Int32Array; // first histogram slot of each feature
  private readonly nBins: Int32Array; // slots per feature (non-NaN bins + NaN bin)
  private readonly slot: Int32Array; // first float64 of each feature in a histogram
  private readonly hb: HistBuilder;
  private readonly S: number;
  /** Column-major bins (in the shared memory). */
  private readonly B: Uint8Array;
  /** Gradients, hessians, margins and labels of the training rows, in the shared memory. */
  readonly g: Float64Array;
  readonly h: Float64Array;
  readonly F: Float64Array;
  readonly y: Float64Array;

  constructor(
    private readonly map: BinMapper,
    B: Uint8Array,
    private readonly rows: number,
    private readonly cols: number,
    private readonly p: GbdtParams,
    /** Every hessian is 1 (unweighted L2/Huber): the count slot doubles as the hessian sum. */
    private readonly unitHess: boolean,
    threads: number,
  ) {
    this.off = new Int32Array(cols);
    this.nBins = new Int32Array(cols);
    let o = 0;
    for (let f = 0; f < cols; f++) {
      this.off[f] = o;
      this.nBins[f] = map.nanBin[f]! + 1;
      o += this.nBins[f]!;
    }
    this.slot = Int32Array.from(this.off, (v) => v * 3);
    // one histogram per leaf at most, plus the one being built
    this.hb = new HistBuilder(rows, cols, o * 3, p.numLeaves, threads);
    this.S = this.hb.shards;
    ({ g: this.g, h: this.h, F: this.F, y: this.y } = this.hb);
    this.B = this.hb.colBins;
    this.B.set(B);
    const R = this.hb.bins; // row-major copy of the bins (histograms are built row-wise)
    for (let f = 0; f < cols; f++) for (let r = 0, k = f; r < rows; r++, k += cols) R[k] = B[f * rows + r]!;
  }

  get threads(): number {
    return this.hb.threadCount;
  }

  close(): void {
    this.hb.close();
  }

  private alloc(): Float64Array {
    const a = this.hb.hists.pop();
    if (!a) throw new Error('trainGbdt: histogram pool exhausted');
    return a;
  }

  private bestSplit(leaf: Leaf, used: Int32Array): Split | null {
    const { p } = this;
    if (p.maxDepth > 0 && leaf.depth >= p.maxDepth) return null;
    const n = leaf.n;
    if (n < 2 * p.minDataInLeaf) return null;
    const lam = p.lambdaL2;
    const G = leaf.g;
    const H = leaf.h;
    const parent = (G * G) / (H + lam);
    let best: Split | null = null;
    const hist = leaf.hist;
    const hs = this.unitHess ? 2 : 1; // slot holding the hessian sum
    for (let u = 0; u < used.length; u++) {
      const f = used[u]!;
      const o = this.off[f]! * 3;
      const nan = this.map.nanBin[f]!;
      const nk = o + nan * 3;
      const nG = hist[nk]!;
      const nH = hist[nk + hs]!;
      const nC = hist[nk + 2]!;
      let lG = 0;
      let lH = 0;
      let lC = 0;
      const last = nC > 0 ? nan : nan - 1; // with NaNs, "all non-NaN left" is a split too
      for (let b = 0; b < last; b++) {
        const k = o + b * 3;
        lG += hist[k]!;
        lH += hist[k + hs]!;
        lC += hist[k + 2]!;
        for (let m = 0; m < (nC > 0 ? 2 : 1); m++) {
          const ml = m === 1;
          if (ml && b === nan - 1) continue; // everything left
          const LG = ml ? lG + nG : lG;
          const LH = ml ? lH + nH : lH;
          const LC = ml ? lC + nC : lC;
          const RC = n - LC;
          if (LC < p.minDataInLeaf || RC < p.minDataInLeaf) continue;
          const RH = H - LH;
          if (LH < p.minSumHessian || RH < p.minSumHessian) continue;
          const RG = G - LG;
          const gain = (LG * LG) / (LH + lam) + (RG * RG) / (RH + lam) - parent;
          if (gain > p.minGainToSplit && (!best || gain > best.gain))
            best = { gain, feature: f, bin: b, missingLeft: ml, lG: LG, lH: LH, lC: LC };
        }
      }
    }
    return best;
  }

  grow(inBag: Uint8Array, nBag: number, used: Int32Array, residual: boolean): Tree {
    const { rows, p, S } = this;
    const rlo = this.hb.seg.slice(0, S);
    const rhi = this.hb.fillOrder(nBag === rows ? null : inBag);
    const feature: number[] = [-1];
    const threshold: number[] = [0];
    const binThr: number[] = [0];
    const left: number[] = [-1];
    const right: number[] = [-1];
    const missingLeft: number[] = [0];
    const gain: number[] = [0];
    const cover: number[] = [0];
    // node sums in row order (the order of the rows in `order` when there is one shard)
    const [G, H] = this.hb.sums(rlo, rhi);
    cover[0] = H;
    const root: Leaf = { node: 0, lo: rlo, hi: rhi, n: nBag, depth: 0, g: G, h: H, hist: this.alloc(), split: null };
    this.hb.setFeatures(used, this.slot);
    this.hb.root(root.hist, rlo, rhi, this.unitHess);
    root.split = this.bestSplit(root, used);
    const leaves: Leaf[] = [root];
    while (leaves.length < p.numLeaves) {
      let bi = -1;
      for (let i = 0; i < leaves.length; i++) {
        const s = leaves[i]!.split;
        if (s && (bi < 0 || s.gain > leaves[bi]!.split!.gain)) bi = i;
      }
      if (bi < 0) break;
      const leaf = leaves[bi]!;
      const s = leaf.split!;
      const ln = feature.length;
      const rn = ln + 1;
      for (const arr of [feature, left, right]) arr.push(-1, -1);
      for (const arr of [threshold, binThr, missingLeft, gain]) arr.push(0, 0);
      cover.push(s.lH, leaf.h - s.lH);
      feature[leaf.node] = s.feature;
      threshold[leaf.node] = this.map.uppers[s.feature]![s.bin]!;
      binThr[leaf.node] = s.bin;
      missingLeft[leaf.node] = s.missingLeft ? 1 : 0;
      left[leaf.node] = ln;
      right[leaf.node] = rn;
      gain[leaf.node] = s.gain;
      // partition the rows of the leaf (stable: each child keeps its rows in ascending order) and build the smaller
      // child's histogram; the larger one's is parent − smaller (in place in the parent's buffer)
      const smallLeft = s.lC <= leaf.n - s.lC;
      const mid = new Int32Array(S);
      const sh = this.alloc();
      this.hb.split(leaf.lo, leaf.hi, mid, s.feature, this.map.nanBin[s.feature]!, s.missingLeft, s.bin, smallLeft, sh, this.unitHess);
      const ph = leaf.hist;
      for (let i = 0; i < ph.length; i++) ph[i]! -= sh[i]!;
      const L: Leaf = { node: ln, lo: leaf.lo, hi: mid, n: s.lC, depth: leaf.depth + 1, g: s.lG, h: s.lH, hist: smallLeft ? sh : ph, split: null };
      const R: Leaf = { node: rn, lo: mid, hi: leaf.hi, n: leaf.n - s.lC, depth: leaf.depth + 1, g: leaf.g - s.lG, h: leaf.h - s.lH, hist: smallLeft ? ph : sh, split: null };
      L.split = this.bestSplit(L, used);
      R.split = this.bestSplit(R, used);
      leaves.splice(bi, 1, L, R);
    }
    const value = new Float64Array(feature.length);
    const leafValues: number[] = [];
    for (const leaf of leaves) {
      const v = (-leaf.g / (leaf.h + p.lambdaL2)) * p.learningRate;
      value[leaf.node] = v;
      leafValues.push(v);
      this.hb.hists.push(leaf.hist);
    }
    this.hb.apply(
      leaves.map((l) => l.lo),
      leaves.map((l) => l.hi),
      leafValues,
      residual,
    );
    const tree = new Tree(
      Int32Array.from(feature),
      Float64Array.from(threshold),
      Int32Array.from(left),
      Int32Array.from(right),
      Uint8Array.from(missingLeft),
      value,
      Float64Array.from(gain),
      Float64Array.from(cover),
    );
    this.binThr.set(tree, Int32Array.from(binThr));
    return tree;
  }

  private readonly binThr = new WeakMap<Tree, Int32Array>();

  predictBinned(tree: Tree, r: number): number {
    const bt = this.binThr.get(tree)!;
    let n = 0;
    while (tree.feature[n]! >= 0) {
      const f = tree.feature[n]!;
      const b = this.B[f * this.rows + r]!;
      const goLeft = b === this.map.nanBin[f] ? tree.missingLeft[n] === 1 : b <= bt[n]!;
      n = goLeft ? tree.left[n]! : tree.right[n]!;
    }
    return tree.value[n]!;
  }
}

export { type Matrix };
