// The calibration workloads: small versions of what the models do (tyre LSTM training, PPO update, batch inference
// in tfjs; batch inference in onnxruntime). Each step reads its result back asynchronously (await data()).
import type { Tf } from './tf-backend.js';
import { mlpOnnx, mlpWeights } from './onnx.js';
import type { Workload } from './select.js';

export interface WorkloadRun {
  step(): Promise<void>;
  dispose(): void;
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function floats(n: number, seed = 7): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  });
}

export const BATCH_ROWS = 20_000;

export async function prepareTf(tf: Tf, workload: Exclude<Workload, 'ort-infer'>, scale = 1): Promise<WorkloadRun> {
  if (workload === 'tyre-train') {
    const [b, t, f] = [32 * scale, 20, 8];
    const model = tf.sequential();
    model.add(tf.layers.lstm({ units: 32, inputShape: [t, f], kernelInitializer: 'glorotUniform', recurrentInitializer: 'glorotUniform' }));
    model.add(tf.layers.dense({ units: 1 }));
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
    const x = tf.tensor3d(floats(b * t * f, 1), [b, t, f]);
    const y = tf.tensor2d(floats(b, 2), [b, 1]);
    return {
      step: async () => {
        await model.trainOnBatch(x, y);
      },
      dispose: () => {
        model.dispose();
        x.dispose();
        y.dispose();
      },
    };
  }
  if (workload === 'ppo-update') {
    const n = 1024 * scale;
    const sizes = [32, 128, 128, 5];
    const vars = sizes.slice(1).flatMap((out, i) => [
      tf.variable(tf.tensor2d(floats(sizes[i]! * out, 10 + i), [sizes[i]!, out]).mul(0.1)),
      tf.variable(tf.zeros([out])),
    ]);
    const opt = tf.train.adam(3e-4);
    const obs = tf.tensor2d(floats(n * 32, 3), [n, 32]);
    const act = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 5), 'int32'), 5);
    const adv = tf.tensor1d(floats(n, 4));
    const oldLogp = tf.fill([n], Math.log(0.2));
    const step = async () => {
      const loss = opt.minimize(
        () =>
          tf.tidy(() => {
            let h: TF = obs;
            for (let i = 0; i < vars.length; i += 2) {
              h = tf.add(tf.matMul(h, vars[i]!), vars[i + 1]!);
              if (i + 2 < vars.length) h = tf.relu(h);
            }
            const logp = tf.sum(tf.mul(tf.logSoftmax(h), act), 1);
            const ratio = tf.exp(tf.sub(logp, oldLogp));
            const clipped = tf.clipByValue(ratio, 0.8, 1.2);
            return tf.neg(tf.mean(tf.minimum(tf.mul(ratio, adv), tf.mul(clipped, adv)))) as TF0;
          }),
        true,
      );
      await loss?.data();
      loss?.dispose();
    };
    return {
      step,
      dispose: () => {
        for (const v of vars) v.dispose();
        for (const t of [obs, act, adv, oldLogp]) t.dispose();
        opt.dispose();
      },
    };
  }
  const rows = BATCH_ROWS * scale;
  const layers = mlpWeights([26, 64, 32, 1], 5);
  const ws = layers.map((l) => [tf.tensor2d(l.w, [l.inputs, l.outputs]), tf.tensor1d(l.b)] as const);
  const x = tf.tensor2d(floats(rows * 26, 9), [rows, 26]);
  return {
    step: async () => {
      const y = tf.tidy(() => {
        let h: TF = x;
        ws.forEach(([w, b], i) => {
          h = tf.add(tf.matMul(h, w), b);
          if (i < ws.length - 1) h = tf.relu(h);
        });
        return h;
      });
      await y.data();
      y.dispose();
    },
    dispose: () => {
      x.dispose();
      for (const [w, b] of ws) {
        w.dispose();
        b.dispose();
      }
    },
  };
}
type TF = import('@tensorflow/tfjs').Tensor;
type TF0 = import('@tensorflow/tfjs').Scalar;

interface OrtLike {
  InferenceSession: {
    create(m: Uint8Array, o: { executionProviders: string[] }): Promise<{ run(f: Record<string, unknown>): Promise<Record<string, { data: unknown }>>; release(): Promise<void> }>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
}

export async function prepareOrt(ep: string, scale = 1): Promise<WorkloadRun> {
  const ort = (await import('onnxruntime-node')) as unknown as OrtLike;
  const rows = BATCH_ROWS * scale;
  const session = await ort.InferenceSession.create(mlpOnnx(mlpWeights([26, 64, 64, 1], 6)), { executionProviders: [ep] });
  const x = new ort.Tensor('float32', floats(rows * 26, 9), [rows, 26]);
  return {
    step: async () => {
      await session.run({ x });
    },
    dispose: () => void session.release(),
  };
}
