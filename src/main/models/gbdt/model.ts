// A trained GBDT: prediction (raw margin or transformed), gain importance, JSON (de)serialisation.
import type { Matrix } from './binning.js';
import { transform, type Objective } from './objective.js';
import { Tree, type TreeJSON } from './tree.js';
import type { GbdtParams } from './params.js';

export interface GbdtJSON {
  format: 'pitwall-gbdt/1';
  objective: Objective;
  numFeatures: number;
  featureNames: string[];
  initScore: number;
  bestIteration: number;
  params: GbdtParams;
  trees: TreeJSON[];
}

export interface GbdtModelInit {
  objective: Objective;
  numFeatures: number;
  featureNames: string[];
  initScore: number;
  trees: Tree[];
  bestIteration: number;
  params: GbdtParams;
}

export class GbdtModel {
  readonly objective: Objective;
  readonly numFeatures: number;
  readonly featureNames: string[];
  readonly initScore: number;
  readonly trees: Tree[];
  /** Number of trees kept (the best validation round when early stopping). */
  readonly bestIteration: number;
  readonly params: GbdtParams;

  constructor(m: GbdtModelInit) {
    this.objective = m.objective;
    this.numFeatures = m.numFeatures;
    this.featureNames = m.featureNames;
    this.initScore = m.initScore;
    this.trees = m.trees;
    this.bestIteration = m.bestIteration;
    this.params = m.params;
  }

  /** Raw margins (log-odds for binary, the value for regression, utilities for conditional-logit). */
  predictRaw(x: Matrix, rows: number): Float64Array {
    const cols = this.numFeatures;
    if (x.length < rows * cols) throw new Error(`predict: x has ${x.length} values, expected ${rows}×${cols}`);
    const out = new Float64Array(rows).fill(this.initScore);
    for (const t of this.trees) for (let r = 0; r < rows; r++) out[r]! += t.predictRow(x, cols, r);
    return out;
  }

  /** Probabilities for binary, values for regression, raw utilities for conditional-logit. */
  predict(x: Matrix, rows: number): Float64Array {
    const raw = this.predictRaw(x, rows);
    if (this.objective === 'binary') for (let i = 0; i < rows; i++) raw[i] = transform('binary', raw[i]!);
    return raw;
  }

  /** Total split gain per feature (unnormalised). */
  gainImportance(): { feature: string; gain: number; splits: number }[] {
    const gain = new Float64Array(this.numFeatures);
    const splits = new Int32Array(this.numFeatures);
    for (const t of this.trees)
      for (let n = 0; n < t.size; n++) {
        const f = t.feature[n]!;
        if (f >= 0) {
          gain[f]! += t.gain[n]!;
          splits[f]!++;
        }
      }
    return this.featureNames.map((feature, i) => ({ feature, gain: gain[i]!, splits: splits[i]! }));
  }

  toJSON(): GbdtJSON {
    return {
      format: 'pitwall-gbdt/1',
      objective: this.objective,
      numFeatures: this.numFeatures,
      featureNames: this.featureNames,
      initScore: this.initScore,
      bestIteration: this.bestIteration,
      params: this.params,
      trees: this.trees.map((t) => t.toJSON()),
    };
  }

  static fromJSON(j: GbdtJSON): GbdtModel {
    if (j.format !== 'pitwall-gbdt/1') throw new Error(`unknown GBDT format "${String(j.format)}"`);
    return new GbdtModel({ ...j, trees: j.trees.map((t) => Tree.fromJSON(t)) });
  }
}
