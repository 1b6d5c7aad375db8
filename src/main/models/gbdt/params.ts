// GBDT hyper-parameters (stored in every model's JSON) and their defaults.
import type { Objective } from './objective.js';

export interface GbdtParams {
  objective: Objective;
  numRounds: number;
  learningRate: number;
  /** Max leaves per tree (leaf-wise growth). */
  numLeaves: number;
  /** Max depth; 0 = unlimited. */
  maxDepth: number;
  minDataInLeaf: number;
  minSumHessian: number;
  lambdaL2: number;
  minGainToSplit: number;
  featureFraction: number;
  baggingFraction: number;
  maxBins: number;
  /** Stop when the validation metric has not improved for this many rounds; 0 = off. */
  earlyStoppingRounds: number;
  huberDelta: number;
  seed: number;
}

export const DEFAULT_PARAMS: GbdtParams = {
  objective: 'regression',
  numRounds: 100,
  learningRate: 0.1,
  numLeaves: 31,
  maxDepth: 0,
  minDataInLeaf: 20,
  minSumHessian: 1e-3,
  lambdaL2: 0,
  minGainToSplit: 0,
  featureFraction: 1,
  baggingFraction: 1,
  maxBins: 255,
  earlyStoppingRounds: 0,
  huberDelta: 1,
  seed: 0,
};
