// GBDT → ONNX (ai.onnx.ml TreeEnsembleRegressor, or TreeEnsembleClassifier for binary), built with onnx-proto.
// Binary uses ONE class id carrying the margin and post_transform=LOGISTIC (probabilities = [1−p, p]); the two-class
// weight form mislabels in onnxruntime. Routing: BRANCH_LEQ (x <= t → true = left), NaN → true when missingLeft.
import { createRequire } from 'node:module';
import type { onnx as OnnxNs } from 'onnx-proto';
import type { GbdtModel } from '../gbdt/index.js';

const F32_MAX = 3.4028234663852886e38;

function protos(): typeof OnnxNs {
  const require = createRequire(import.meta.url);
  return (require('onnx-proto') as { onnx: typeof OnnxNs }).onnx;
}

/** Serialises the model; input "input" float[N, numFeatures]; output "variable" (regressor) or "label"+"probabilities". */
export function gbdtToOnnx(model: GbdtModel, opts: { name?: string; docString?: string } = {}): Uint8Array {
  const onnx = protos();
  const A = onnx.AttributeProto.AttributeType;
  const ints = (name: string, v: number[]) => ({ name, type: A.INTS, ints: v });
  const floats = (name: string, v: number[]) => ({ name, type: A.FLOATS, floats: v });
  const strs = (name: string, v: string[]) => ({ name, type: A.STRINGS, strings: v.map((s) => new TextEncoder().encode(s)) });
  const str = (name: string, v: string) => ({ name, type: A.STRING, s: new TextEncoder().encode(v) });
  const int = (name: string, v: number) => ({ name, type: A.INT, i: v });

  const n = { tree: [] as number[], node: [] as number[], feat: [] as number[], mode: [] as string[], val: [] as number[] };
  const n2 = { t: [] as number[], f: [] as number[], miss: [] as number[] };
  const leaf = { tree: [] as number[], node: [] as number[], w: [] as number[] };
  model.trees.forEach((t, ti) => {
    for (let i = 0; i < t.size; i++) {
      const isLeaf = t.feature[i]! < 0;
      n.tree.push(ti);
      n.node.push(i);
      n.feat.push(isLeaf ? 0 : t.feature[i]!);
      n.mode.push(isLeaf ? 'LEAF' : 'BRANCH_LEQ');
      n.val.push(isLeaf ? 0 : Number.isFinite(t.threshold[i]!) ? t.threshold[i]! : F32_MAX);
      n2.t.push(isLeaf ? 0 : t.left[i]!);
      n2.f.push(isLeaf ? 0 : t.right[i]!);
      n2.miss.push(isLeaf ? 0 : t.missingLeft[i]!);
      if (isLeaf) {
        leaf.tree.push(ti);
        leaf.node.push(i);
        leaf.w.push(t.value[i]!);
      }
    }
  });
  const common = [
    ints('nodes_treeids', n.tree),
    ints('nodes_nodeids', n.node),
    ints('nodes_featureids', n.feat),
    strs('nodes_modes', n.mode),
    floats('nodes_values', n.val),
    ints('nodes_truenodeids', n2.t),
    ints('nodes_falsenodeids', n2.f),
    ints('nodes_missing_value_tracks_true', n2.miss),
    floats('base_values', [model.initScore]),
  ];
  const binary = model.objective === 'binary';
  const node = binary
    ? {
        opType: 'TreeEnsembleClassifier',
        domain: 'ai.onnx.ml',
        input: ['input'],
        output: ['label', 'probabilities'],
        attribute: [
          ...common,
          ints('class_treeids', leaf.tree),
          ints('class_nodeids', leaf.node),
          ints('class_ids', leaf.tree.map(() => 0)),
          floats('class_weights', leaf.w),
          ints('classlabels_int64s', [0, 1]),
          str('post_transform', 'LOGISTIC'),
        ],
      }
    : {
        opType: 'TreeEnsembleRegressor',
        domain: 'ai.onnx.ml',
        input: ['input'],
        output: ['variable'],
        attribute: [
          ...common,
          ints('target_treeids', leaf.tree),
          ints('target_nodeids', leaf.node),
          ints('target_ids', leaf.tree.map(() => 0)),
          floats('target_weights', leaf.w),
          int('n_targets', 1),
          str('aggregate_function', 'SUM'),
          str('post_transform', 'NONE'),
        ],
      };
  const T = onnx.TensorProto.DataType;
  const tensor = (name: string, elem: number, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: elem, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const graph = {
    name: opts.name ?? 'gbdt',
    node: [node],
    input: [tensor('input', T.FLOAT, ['N', model.numFeatures])],
    output: binary ? [tensor('label', T.INT64, ['N']), tensor('probabilities', T.FLOAT, ['N', 2])] : [tensor('variable', T.FLOAT, ['N', 1])],
  };
  const m = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'pitwall',
    producerVersion: '1',
    docString: opts.docString ?? `features: ${model.featureNames.join(',')}`,
    graph,
    opsetImport: [
      { domain: '', version: 15 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    metadataProps: [{ key: 'feature_names', value: model.featureNames.join(',') }],
  });
  return onnx.ModelProto.encode(m).finish();
}
