// Small ONNX graphs built in code (Gemm/Relu MLPs): the onnxruntime calibration workload and backend probes.
import { createRequire } from 'node:module';

export interface DenseLayer {
  /** [in × out], row-major. */
  w: Float32Array;
  b: Float32Array;
  inputs: number;
  outputs: number;
}

/** Deterministic MLP weights (sizes: [in, hidden…, out]). */
export function mlpWeights(sizes: number[], seed = 1): DenseLayer[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  const layers: DenseLayer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const inputs = sizes[i]!;
    const outputs = sizes[i + 1]!;
    const scale = Math.sqrt(6 / (inputs + outputs));
    layers.push({
      inputs,
      outputs,
      w: Float32Array.from({ length: inputs * outputs }, () => 2 * rnd() * scale),
      b: Float32Array.from({ length: outputs }, () => 0.1 * rnd()),
    });
  }
  return layers;
}

interface OnnxProto {
  onnx: {
    TensorProto: { create(v: object): unknown; DataType: { FLOAT: number } };
    ValueInfoProto: { create(v: object): unknown };
    NodeProto: { create(v: object): unknown };
    GraphProto: { create(v: object): unknown };
    ModelProto: { create(v: object): unknown; encode(m: unknown): { finish(): Uint8Array } };
  };
}

/** ONNX bytes of the MLP: Gemm → Relu per hidden layer, Gemm output; input "x" [N, in], output "y" [N, out]. */
export function mlpOnnx(layers: DenseLayer[]): Uint8Array {
  const { onnx } = createRequire(import.meta.url)('onnx-proto') as OnnxProto;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const vi = (name: string, dims: (number | string)[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
    });
  const nodes: unknown[] = [];
  const inits: unknown[] = [];
  let input = 'x';
  layers.forEach((l, i) => {
    inits.push(onnx.TensorProto.create({ name: `w${i}`, dims: [l.inputs, l.outputs], dataType: FLOAT, floatData: Array.from(l.w) }));
    inits.push(onnx.TensorProto.create({ name: `b${i}`, dims: [l.outputs], dataType: FLOAT, floatData: Array.from(l.b) }));
    const last = i === layers.length - 1;
    const out = last ? 'y' : `h${i}`;
    nodes.push(onnx.NodeProto.create({ opType: 'Gemm', input: [input, `w${i}`, `b${i}`], output: [last ? out : `g${i}`] }));
    if (!last) nodes.push(onnx.NodeProto.create({ opType: 'Relu', input: [`g${i}`], output: [out] }));
    input = out;
  });
  const graph = onnx.GraphProto.create({
    name: 'mlp',
    node: nodes,
    initializer: inits,
    input: [vi('x', ['N', layers[0]!.inputs])],
    output: [vi('y', ['N', layers[layers.length - 1]!.outputs])],
  });
  const model = onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], producerName: 'pitwall', graph });
  return onnx.ModelProto.encode(model).finish();
}

/** Plain-JS forward pass of the MLP (the reference the backends are checked against). */
export function mlpForward(layers: DenseLayer[], x: Float32Array, rows: number): Float32Array {
  let cur = x;
  layers.forEach((l, li) => {
    const out = new Float32Array(rows * l.outputs);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < l.outputs; j++) {
        let s = l.b[j]!;
        for (let k = 0; k < l.inputs; k++) s += cur[r * l.inputs + k]! * l.w[k * l.outputs + j]!;
        out[r * l.outputs + j] = li < layers.length - 1 ? Math.max(0, s) : s;
      }
    }
    cur = out;
  });
  return cur;
}
