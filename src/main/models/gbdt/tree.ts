// One regression tree of the ensemble, in flat arrays (node i is a leaf when feature[i] < 0).
// Routing: NaN → missingLeft ? left : right; else fround(x) <= threshold → left. Same rule as the ONNX export.
import type { Matrix } from './binning.js';

export interface TreeJSON {
  feature: number[];
  threshold: (number | null)[]; // null = +Infinity (JSON has no Infinity)
  left: number[];
  right: number[];
  missingLeft: number[];
  value: number[];
  gain: number[];
  cover: number[];
}

export class Tree {
  constructor(
    readonly feature: Int32Array,
    readonly threshold: Float64Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    readonly missingLeft: Uint8Array,
    /** Leaf output (learning rate applied); 0 on internal nodes. */
    readonly value: Float64Array,
    /** Split gain on internal nodes. */
    readonly gain: Float64Array,
    /** Sum of hessians reaching the node. */
    readonly cover: Float64Array,
  ) {}

  get size(): number {
    return this.feature.length;
  }

  /** Output for row r of a row-major matrix. */
  predictRow(x: Matrix, cols: number, r: number): number {
    let n = 0;
    const base = r * cols;
    while (this.feature[n]! >= 0) {
      const v = x[base + this.feature[n]!]!;
      const goLeft = Number.isNaN(v) ? this.missingLeft[n] === 1 : Math.fround(v) <= this.threshold[n]!;
      n = goLeft ? this.left[n]! : this.right[n]!;
    }
    return this.value[n]!;
  }

  toJSON(): TreeJSON {
    return {
      feature: Array.from(this.feature),
      threshold: Array.from(this.threshold, (t) => (Number.isFinite(t) ? t : null)),
      left: Array.from(this.left),
      right: Array.from(this.right),
      missingLeft: Array.from(this.missingLeft),
      value: Array.from(this.value),
      gain: Array.from(this.gain),
      cover: Array.from(this.cover),
    };
  }

  static fromJSON(j: TreeJSON): Tree {
    return new Tree(
      Int32Array.from(j.feature),
      Float64Array.from(j.threshold, (t) => (t === null ? Infinity : t)),
      Int32Array.from(j.left),
      Int32Array.from(j.right),
      Uint8Array.from(j.missingLeft),
      Float64Array.from(j.value),
      Float64Array.from(j.gain),
      Float64Array.from(j.cover),
    );
  }
}
