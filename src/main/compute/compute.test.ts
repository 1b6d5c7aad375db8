// Backend probing, selection and fallback with simulated machines; the calibration cache; and numerical agreement
// of one model on two backends (GPU paths are exercised through simulated probes; the real machine's through its probe).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { timeSteps } from './calibrate.js';
import { fingerprint, readCache, writeCache } from './cache.js';
import { parseDevice, setDevicePreference } from './device.js';
import { mlpForward, mlpOnnx, mlpWeights } from './onnx.js';
import { findVulkanLoader, probe } from './index.js';
import { NO_VULKAN, probeAll, type ProbeEnv } from './probe.js';
import { choose, type Timing } from './select.js';
import { loadTf, useTfBackend } from './tf.js';
import { floats } from './workloads.js';

const VERSIONS: Record<string, string> = {
  '@tensorflow/tfjs': '4.22.0',
  '@tensorflow/tfjs-backend-wasm': '4.22.0',
  '@tensorflow/tfjs-backend-webgpu': '4.22.0',
  webgpu: '0.6.2',
  'onnxruntime-node': '1.30.0',
};
const missing = (name: string) => Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });

/** A simulated machine: which packages load, what the adapter does, which ORT providers work. */
function machine(opts: {
  webgpu?: 'missing' | 'no-adapter' | 'adapter' | 'throws' | 'hangs';
  ortWebgpu?: boolean;
  cuda?: boolean;
}): ProbeEnv {
  const versions = { ...VERSIONS };
  if (opts.webgpu === 'missing') delete versions.webgpu;
  return {
    timeoutMs: 50,
    version: (n) => versions[n],
    async load(name) {
      if (!versions[name]) throw missing(name);
      if (name === 'webgpu')
        return {
          create: () => ({
            requestAdapter: async () => {
              if (opts.webgpu === 'throws') throw new Error('vkCreateInstance failed: VK_ERROR_INCOMPATIBLE_DRIVER');
              if (opts.webgpu === 'hangs') return new Promise(() => {});
              if (opts.webgpu === 'no-adapter') return null;
              return { info: { vendor: 'nvidia', architecture: 'hopper', device: 'nvidia-h100-80gb-hbm3', description: 'NVIDIA: 580.159.04' } };
            },
          }),
        };
      if (name === 'onnxruntime-node')
        return {
          listSupportedBackends: () => [
            { name: 'cpu', bundled: true },
            { name: 'webgpu', bundled: true },
            { name: 'cuda', bundled: Boolean(opts.cuda) },
          ],
          InferenceSession: {
            create: async (_m: Uint8Array, o: { executionProviders: string[] }) => {
              if (o.executionProviders[0] === 'webgpu' && !opts.ortWebgpu) throw new Error('... Failed to get a WebGPU adapter: No supported adapters');
              return { release: async () => {} };
            },
          },
        };
      return {};
    },
  };
}
const tiny = async () => new Uint8Array([1]);

describe('probing (simulated machines)', () => {
  it('no Vulkan loader on Linux: both WebGPU backends say so and Dawn is never loaded', async () => {
    const env = machine({ webgpu: 'adapter', ortWebgpu: true });
    const load = vi.spyOn(env, 'load');
    const r = await probeAll({ ...env, load, vulkanLoader: () => null }, tiny);
    const by = Object.fromEntries(r.backends.map((b) => [b.id, b]));
    expect(by['tfjs:webgpu']).toMatchObject({ available: false, reason: NO_VULKAN });
    expect(by['ort:webgpu']).toMatchObject({ available: false, reason: NO_VULKAN });
    expect(by['tfjs:wasm']?.available).toBe(true);
    expect(load.mock.calls.map((c) => c[0])).not.toContain('webgpu');
    // with the loader present the same machine has its GPU
    const ok = await probeAll({ ...env, vulkanLoader: () => '/lib/x86_64-linux-gnu/libvulkan.so.1' }, tiny);
    expect(ok.backends.find((b) => b.id === 'tfjs:webgpu')?.available).toBe(true);
  });

  it.runIf(process.platform === 'linux')('finds the Vulkan loader in LD_LIBRARY_PATH or the system folders', () => {
    const at = (path: string) => (f: string) => f === path;
    expect(findVulkanLoader({ LD_LIBRARY_PATH: '/opt/vk:/x' }, at('/opt/vk/libvulkan.so.1'))).toBe('/opt/vk/libvulkan.so.1');
    expect(findVulkanLoader({}, at('/usr/lib64/libvulkan.so.1'))).toBe('/usr/lib64/libvulkan.so.1');
    expect(findVulkanLoader({}, () => false)).toBeNull();
  });

  it('missing webgpu package: GPU backends unavailable with the reason, CPU ones available', async () => {
    const r = await probeAll(machine({ webgpu: 'missing' }), tiny);
    const by = Object.fromEntries(r.backends.map((b) => [b.id, b]));
    expect(by['tfjs:webgpu']).toMatchObject({ available: false, reason: expect.stringMatching(/"webgpu".*not installed/) });
    expect(by['tfjs:tensorflow']).toMatchObject({ available: false, reason: expect.stringMatching(/tfjs-node is not installed/) });
    expect(by['ort:cuda']).toMatchObject({ available: false, reason: expect.stringMatching(/onnxruntime-node-install=cuda12/) });
    expect(by['ort:webgpu']).toMatchObject({ available: false, reason: expect.stringMatching(/no WebGPU adapter/) });
    expect(by['tfjs:wasm']!.available && by['tfjs:cpu']!.available && by['ort:cpu']!.available).toBe(true);
    expect(r.adapters).toEqual([]);
  });

  it('no adapter, a throwing driver and a hanging driver all fall back without throwing', async () => {
    for (const webgpu of ['no-adapter', 'throws', 'hangs'] as const) {
      const r = await probeAll(machine({ webgpu }), tiny);
      const wg = r.backends.find((b) => b.id === 'tfjs:webgpu')!;
      expect(wg.available).toBe(false);
      expect(wg.reason).toMatch(webgpu === 'no-adapter' ? /no WebGPU adapter/ : webgpu === 'throws' ? /VK_ERROR_INCOMPATIBLE_DRIVER/ : /did not answer/);
    }
  });

  it('adapter present: reports it (vendor, device, driver) and offers the GPU backends', async () => {
    const r = await probeAll(machine({ webgpu: 'adapter', ortWebgpu: true, cuda: true }), tiny);
    expect(r.adapters).toEqual([
      {
        vendor: 'nvidia',
        architecture: 'hopper',
        device: 'nvidia-h100-80gb-hbm3',
        description: 'NVIDIA: 580.159.04',
        driver: '580.159.04',
        isFallbackAdapter: false,
      },
    ]);
    const ids = r.backends.filter((b) => b.available).map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining(['tfjs:webgpu', 'ort:webgpu', 'ort:cuda', 'tfjs:wasm', 'ort:cpu']));
  });
});

describe('choice by measurement', () => {
  const gpuMachine = () => probeAll(machine({ webgpu: 'adapter', ortWebgpu: true }), tiny);
  // what was measured on an H100 (shared/gpu/README.md): LSTM step faster on wasm, big matmul faster on webgpu
  const timings: Timing[] = [
    { workload: 'tyre-train', backend: 'tfjs:webgpu', median_ms: 1344, reps: 3 },
    { workload: 'tyre-train', backend: 'tfjs:wasm', median_ms: 350, reps: 3 },
    { workload: 'tyre-train', backend: 'tfjs:cpu', median_ms: 900, reps: 3 },
    { workload: 'batch-infer', backend: 'tfjs:webgpu', median_ms: 11.6, reps: 3 },
    { workload: 'batch-infer', backend: 'tfjs:wasm', median_ms: 687, reps: 3 },
    { workload: 'ort-infer', backend: 'ort:webgpu', median_ms: 1.38, reps: 3 },
    { workload: 'ort-infer', backend: 'ort:cpu', median_ms: 0.11, reps: 3 },
  ];

  it('auto picks the fastest measured backend per workload, GPU or not', async () => {
    const p = (await gpuMachine()).backends;
    expect(choose('tyre-train', p, timings, 'auto')).toMatchObject({ backend: 'tfjs:wasm', device: 'cpu', measured: true });
    expect(choose('batch-infer', p, timings, 'auto')).toMatchObject({ backend: 'tfjs:webgpu', device: 'gpu' });
    expect(choose('ort-infer', p, timings, 'auto')).toMatchObject({ backend: 'ort:cpu' });
    expect(choose('tyre-train', p, timings, 'auto').why).toMatch(/tfjs:wasm 350 ms < tfjs:cpu 900 ms < tfjs:webgpu 1344 ms/);
  });

  it('auto keeps a near-tie on the CPU: the GPU must be clearly faster', async () => {
    const p = (await gpuMachine()).backends;
    // PPO update on the H100 (this repo's calibration): webgpu 47.9 ms, wasm 57.5 ms — 1.2×, within run-to-run noise
    const tie: Timing[] = [
      { workload: 'ppo-update', backend: 'tfjs:webgpu', median_ms: 47.9, reps: 3 },
      { workload: 'ppo-update', backend: 'tfjs:wasm', median_ms: 57.5, reps: 3 },
    ];
    const c = choose('ppo-update', p, tie, 'auto');
    expect(c).toMatchObject({ backend: 'tfjs:wasm', device: 'cpu', measured: true });
    expect(c.why).toMatch(/not 1\.25× faster/);
    expect(choose('ppo-update', p, tie, 'gpu').backend).toBe('tfjs:webgpu'); // a forced GPU still gets it
    const clear = [{ ...tie[0]!, median_ms: 40 }, tie[1]!];
    expect(choose('ppo-update', p, clear, 'auto').backend).toBe('tfjs:webgpu');
  });

  it('--device gpu forces the GPU where one exists, --device cpu keeps off it', async () => {
    const p = (await gpuMachine()).backends;
    expect(choose('tyre-train', p, timings, 'gpu')).toMatchObject({ backend: 'tfjs:webgpu', device: 'gpu' });
    expect(choose('batch-infer', p, timings, 'cpu')).toMatchObject({ backend: 'tfjs:wasm', device: 'cpu' });
    expect(choose('ort-infer', p, timings, 'gpu').backend).toBe('ort:webgpu');
  });

  it('--device gpu without a GPU falls back to the CPU and says why', async () => {
    const p = (await probeAll(machine({ webgpu: 'no-adapter' }), tiny)).backends;
    const c = choose('batch-infer', p, timings, 'gpu');
    expect(c).toMatchObject({ backend: 'tfjs:wasm', device: 'cpu' });
    expect(c.why).toMatch(/no GPU backend is available .*tfjs:webgpu: no WebGPU adapter/);
  });

  it('uncalibrated: defaults to wasm (tfjs) and cpu (onnxruntime)', async () => {
    const p = (await gpuMachine()).backends;
    expect(choose('ppo-update', p, [], 'auto')).toMatchObject({ backend: 'tfjs:wasm', measured: false });
    expect(choose('ort-infer', p, [], 'auto')).toMatchObject({ backend: 'ort:cpu', measured: false });
    expect(() => parseDevice('tpu')).toThrow(/gpu, cpu or auto/);
  });
});

/** A step on a fake clock: the n-th call takes costs[n] ms (the last cost repeats). */
function fakeSteps(costs: number[]) {
  let t = 0;
  let n = 0;
  return { now: () => t, step: async () => void (t += costs[Math.min(n++, costs.length - 1)]!), calls: () => n };
}

describe('step timing', () => {
  it('never judges the warm-up: a GPU whose first step compiles shaders is still measured', async () => {
    // H100 batch inference: 181 ms first step, 0.9 ms after; the CPU's best was 9 ms (cutoff 4× = 36 ms)
    const gpu = fakeSteps([181, 0.9]);
    const t = await timeSteps(gpu.step, 5, 1000, 36, gpu.now);
    expect(t).toEqual({ median_ms: 0.9, reps: 5 });
  });

  it('stops after one timed step when that step is far slower than the best, and says so', async () => {
    const slow = fakeSteps([1352, 347]);
    const t = await timeSteps(slow.step, 5, 1000, 120, slow.now);
    expect(t.reps).toBe(1);
    expect(t.median_ms).toBe(347);
    expect(t.note).toMatch(/far slower/);
    expect(slow.calls()).toBe(2);
  });

  it('takes the median of the timed steps and respects the time budget', async () => {
    const s = fakeSteps([50, 10, 30, 20]);
    expect(await timeSteps(s.step, 3, 1000, undefined, s.now)).toEqual({ median_ms: 20, reps: 3 });
    const long = fakeSteps([5, 400]);
    expect((await timeSteps(long.step, 10, 1000, undefined, long.now)).reps).toBe(3); // 400 + 400 + 400 passes 1000 ms
  });
});

describe('calibration cache', () => {
  it('is keyed by versions and adapter/driver: a driver update invalidates it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pitwall-cal-')), 'cal.json');
    const a = await probeAll(machine({ webgpu: 'adapter' }), tiny);
    const fp = fingerprint(a);
    writeCache({ fingerprint: fp, measuredAt: 'now', timings: [{ workload: 'batch-infer', backend: 'tfjs:wasm', median_ms: 3, reps: 3 }] }, file);
    expect(readCache(fp, file)?.timings).toHaveLength(1);
    const newDriver = { ...a, adapters: [{ ...a.adapters[0]!, description: 'NVIDIA: 590.10' }] };
    expect(fingerprint(newDriver)).not.toBe(fp);
    expect(readCache(fingerprint(newDriver), file)).toBeNull();
    expect(fingerprint({ ...a, versions: { ...a.versions, '@tensorflow/tfjs': '4.23.0' } })).not.toBe(fp);
    writeFileSync(file, '{ not json');
    expect(readCache(fp, file)).toBeNull();
  });
});

describe('numerical agreement across backends (this machine: tfjs cpu vs wasm, and onnxruntime cpu)', () => {
  const layers = mlpWeights([26, 64, 32, 1], 5);
  const rows = 500;
  const x = floats(rows * 26, 9);
  const reference = mlpForward(layers, x, rows);

  async function tfjsMlp(backend: 'cpu' | 'wasm'): Promise<Float32Array> {
    const { tf, backend: got } = await useTfBackend(backend);
    expect(got).toBe(backend);
    const y = tf.tidy(() => {
      let h = tf.tensor2d(x, [rows, 26]);
      layers.forEach((l, i) => {
        h = tf.add(tf.matMul(h, tf.tensor2d(l.w, [l.inputs, l.outputs])), tf.tensor1d(l.b));
        if (i < layers.length - 1) h = tf.relu(h);
      });
      return h;
    });
    const out = (await y.data()) as Float32Array;
    y.dispose();
    return out;
  }

  it('the same MLP gives the same outputs on tfjs cpu, tfjs wasm and onnxruntime cpu', async () => {
    const cpu = await tfjsMlp('cpu');
    const wasm = await tfjsMlp('wasm');
    const ort = (await import('onnxruntime-node')) as unknown as typeof import('onnxruntime-node');
    const s = await ort.InferenceSession.create(mlpOnnx(layers), { executionProviders: ['cpu'] });
    const o = (await s.run({ x: new ort.Tensor('float32', x, [rows, 26]) })).y!.data as Float32Array;
    await s.release();
    let maxDiff = 0;
    let maxRef = 0;
    for (let i = 0; i < rows; i++) {
      maxRef = Math.max(maxRef, Math.abs(reference[i]!));
      maxDiff = Math.max(maxDiff, Math.abs(cpu[i]! - wasm[i]!), Math.abs(cpu[i]! - o[i]!), Math.abs(cpu[i]! - reference[i]!));
    }
    expect(maxRef).toBeGreaterThan(0.1);
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('an LSTM forward pass agrees on cpu and wasm', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      const { tf } = await useTfBackend(backend);
      const model = tf.sequential();
      model.add(tf.layers.lstm({ units: 16, inputShape: [10, 4], kernelInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 1 }), recurrentInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 2 }) }));
      model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }) }));
      const inp = tf.tensor3d(floats(8 * 10 * 4, 4), [8, 10, 4]);
      const y = model.predict(inp) as import('@tensorflow/tfjs').Tensor;
      const out = (await y.data()) as Float32Array;
      model.dispose();
      inp.dispose();
      y.dispose();
      return out;
    };
    const a = await run('cpu');
    const b = await run('wasm');
    for (let i = 0; i < a.length; i++) expect(b[i]!).toBeCloseTo(a[i]!, 5);
  });
});

// This machine may or may not have a GPU adapter (CI runners have none, the H100/H200 checks do): the expected
// backend follows the real probe, and the fallback path is asserted wherever no adapter exists.
describe('loadTf on this machine', () => {
  const available = async (id: string) => (await probe()).backends.some((b) => b.id === id && b.available);
  const webgpu = () => available('tfjs:webgpu');

  it('uses webgpu (tensorflow) where an adapter (tfjs-node) exists, else falls back to wasm with a logged reason', async () => {
    const gpu = await webgpu();
    const tfNode = await available('tfjs:tensorflow'); // the optional tfjs-node
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect((await useTfBackend('webgpu')).backend).toBe(gpu ? 'webgpu' : 'wasm');
      expect((await useTfBackend('tensorflow')).backend).toBe(tfNode ? 'tensorflow' : 'wasm');
      const lines = err.mock.calls.map((c) => String(c[0]));
      expect(lines.some((l) => /webgpu backend unavailable \(no WebGPU adapter\)/.test(l))).toBe(!gpu);
      expect(lines.some((l) => /tensorflow backend unavailable/.test(l))).toBe(!tfNode);
    } finally {
      err.mockRestore();
    }
  });

  it('keeps wasm as the default, and honours --device gpu (a GPU backend where one exists, else the CPU)', async () => {
    const gpu = await webgpu();
    const home = process.env.PITWALL_HOME;
    process.env.PITWALL_HOME = mkdtempSync(join(tmpdir(), 'pitwall-home-')); // no calibration cache here
    try {
      expect((await loadTf()).getBackend()).toBe('wasm');
      expect((await loadTf('cpu')).getBackend()).toBe('cpu');
      setDevicePreference('gpu');
      expect((await loadTf()).getBackend()).toBe(gpu ? 'webgpu' : 'wasm');
      expect((await loadTf('auto', { workload: 'tyre-train' })).getBackend()).toBe(gpu ? 'webgpu' : 'wasm');
    } finally {
      setDevicePreference(undefined);
      if (home === undefined) delete process.env.PITWALL_HOME;
      else process.env.PITWALL_HOME = home;
    }
  });
});
