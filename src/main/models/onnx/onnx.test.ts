import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { onnx as OnnxNs } from 'onnx-proto';
import { rng, trainGbdt } from '../gbdt/index.js';
import { gbdtToOnnx } from './export.js';
import { loadOnnx } from './serve.js';

function data(n: number, seed: number) {
  const r = rng(seed);
  const x = Float32Array.from({ length: n * 3 }, (_, i) => (i % 7 === 0 ? NaN : r() * 4 - 2));
  const y = Float64Array.from({ length: n }, (_, i) => {
    const v = (k: number) => (Number.isNaN(x[3 * i + k]!) ? 0.5 : x[3 * i + k]!);
    return Math.sin(v(0)) + v(1) * 0.3 + (r() - 0.5) * 0.1;
  });
  return { x, rows: n, cols: 3, y };
}

describe('onnx export + onnxruntime serving', () => {
  it('regression: ONNX equals the TS predictor within 1e-5 (NaNs included)', async () => {
    const d = data(3000, 1);
    const m = trainGbdt(d, { numRounds: 80, numLeaves: 15, minDataInLeaf: 5 });
    const s = await loadOnnx(gbdtToOnnx(m));
    const t = data(500, 2);
    const onnx = await s.score(t.x, t.rows, 3);
    const ts = m.predict(t.x, t.rows);
    for (let i = 0; i < t.rows; i++) expect(Math.abs(onnx[i]! - ts[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ts[i]!)));
    await s.release();
  });

  it('binary: one class id + LOGISTIC gives the positive-class probability', async () => {
    const d = data(3000, 3);
    const yb = Float64Array.from(d.y, (v) => (v > 0.2 ? 1 : 0));
    const m = trainGbdt({ ...d, y: yb }, { objective: 'binary', numRounds: 60, numLeaves: 8 });
    const s = await loadOnnx(gbdtToOnnx(m));
    expect(s.outputNames).toContain('probabilities');
    const t = data(400, 4);
    const onnx = await s.score(t.x, t.rows, 3);
    const ts = m.predict(t.x, t.rows);
    for (let i = 0; i < t.rows; i++) expect(Math.abs(onnx[i]! - ts[i]!)).toBeLessThan(1e-5);
    expect(Math.max(...ts) - Math.min(...ts)).toBeGreaterThan(0.5); // the model is not trivial
    await s.release();
  });

  it('loads an externally built ONNX model (skl2onnx-style names, LinearRegressor) the same way', async () => {
    const onnx = (createRequire(import.meta.url)('onnx-proto') as { onnx: typeof OnnxNs }).onnx;
    const A = onnx.AttributeProto.AttributeType;
    const T = onnx.TensorProto.DataType;
    const coef = [0.5, -2, 1.25];
    const bytes = onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 8,
        producerName: 'skl2onnx',
        opsetImport: [{ domain: '', version: 15 }, { domain: 'ai.onnx.ml', version: 1 }],
        graph: {
          name: 'external',
          node: [
            {
              opType: 'LinearRegressor',
              domain: 'ai.onnx.ml',
              input: ['float_input'],
              output: ['variable'],
              attribute: [
                { name: 'coefficients', type: A.FLOATS, floats: coef },
                { name: 'intercepts', type: A.FLOATS, floats: [0.75] },
              ],
            },
          ],
          input: [{ name: 'float_input', type: { tensorType: { elemType: T.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] } } } }],
          output: [{ name: 'variable', type: { tensorType: { elemType: T.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } }],
        },
      }),
    ).finish();
    const s = await loadOnnx(bytes);
    expect(s.inputName).toBe('float_input');
    const out = await s.score([1, 2, 3, -1, 0, 4], 2, 3);
    expect(out[0]).toBeCloseTo(0.75 + 0.5 - 4 + 3.75, 5);
    expect(out[1]).toBeCloseTo(0.75 - 0.5 + 5, 5);
    await s.release();
  });
});
