// Serving ONNX models with onnxruntime-node (imported lazily). Works for our exported GBDTs and for models trained
// elsewhere (e.g. scikit-learn via skl2onnx, zipmap=False) taking one float[N, F] input: the score is the positive-class
// column of a [N, 2] probability output, else the first column of the first float output.
import type { InferenceSession } from 'onnxruntime-node';

export interface OnnxScorer {
  inputName: string;
  outputNames: readonly string[];
  /** One score per row (probability of the positive class, or the regression value / margin). */
  score(x: ArrayLike<number>, rows: number, cols: number): Promise<Float64Array>;
  release(): Promise<void>;
}

export async function loadOnnx(model: Uint8Array | string): Promise<OnnxScorer> {
  const ort = await import('onnxruntime-node');
  const session: InferenceSession =
    typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
  const inputName = session.inputNames[0]!;
  const outputNames = session.outputNames;
  return {
    inputName,
    outputNames,
    async score(x, rows, cols) {
      const input = new ort.Tensor('float32', Float32Array.from({ length: rows * cols }, (_, i) => x[i]!), [rows, cols]);
      const out = await session.run({ [inputName]: input });
      const prob = outputNames.find((n) => /prob/i.test(n) && out[n]?.dims.length === 2);
      const name = prob ?? outputNames.find((n) => out[n]?.type === 'float32') ?? outputNames[0]!;
      const t = out[name]!;
      const data = t.data as Float32Array;
      const width = t.dims.length === 2 ? Number(t.dims[1]) : 1;
      const col = prob && width === 2 ? 1 : 0;
      return Float64Array.from({ length: rows }, (_, r) => data[r * width + col]!);
    },
    release: () => session.release(),
  };
}
