// Histogram gradient-boosted trees in TypeScript. Public API:
//   trainGbdt({x (row-major Float32Array|Float64Array), rows, cols, y, weight?, group?}, params, valid?, opts?) → GbdtModel
//   model.predict(x, rows) / predictRaw, model.gainImportance(), model.toJSON() / GbdtModel.fromJSON(json)
// Objectives: 'binary' (logloss), 'regression' (L2), 'huber' (huberDelta), 'conditional-logit' (softmax within group).
// Export to ONNX: ../onnx/export.ts.
export { trainGbdt, rng, type GbdtDataset, type TrainOptions } from './train.js';
export { DEFAULT_PARAMS, type GbdtParams } from './params.js';
export { closeHistThreads, warmHistThreads, workerShards } from './hist-threads.js';
export { GbdtModel, type GbdtJSON } from './model.js';
export { Tree, type TreeJSON } from './tree.js';
export type { Objective } from './objective.js';
export type { Matrix } from './binning.js';
