// Probing what compute backends this machine has. Never throws: a missing package, a missing GPU or a throwing
// driver becomes `available: false` with a reason. Module loading goes through `ProbeEnv` so tests can simulate
// every case (package missing, no adapter, adapter present, driver throwing).

export type Runtime = 'tfjs' | 'ort';
export type TfBackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type OrtBackendName = 'webgpu' | 'cuda' | 'cpu';
export type BackendId = `tfjs:${TfBackendName}` | `ort:${OrtBackendName}`;
export type DeviceKind = 'gpu' | 'cpu';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  /** Includes the driver version on most platforms (e.g. "NVIDIA: 580.159.04 580.159.4.0"). */
  description: string;
  /** Driver version read from the description, when it has one. */
  driver: string | null;
  isFallbackAdapter: boolean;
}

export interface BackendProbe {
  id: BackendId;
  runtime: Runtime;
  name: TfBackendName | OrtBackendName;
  device: DeviceKind;
  available: boolean;
  /** Why it is not available (or a note when it is). */
  reason?: string;
  /** Package version behind it. */
  version?: string;
}

export interface ProbeReport {
  backends: BackendProbe[];
  adapters: AdapterInfo[];
  /** Installed versions of the packages involved (absent = not installed). */
  versions: Record<string, string>;
  elapsed_ms: number;
}

export interface ProbeEnv {
  /** Dynamic import of a package; rejects when it is not installed. */
  load(name: string): Promise<unknown>;
  /** Installed version of a package, or undefined. */
  version(name: string): string | undefined;
  timeoutMs?: number;
  /** Linux only: where the Vulkan loader (libvulkan.so.1) is, or null when there is none. Dawn needs it; without it
   *  the GPU probes are skipped (no native warnings on CPU-only machines). Absent: not checked. */
  vulkanLoader?: () => string | null;
}

/** Missing-loader reason, shared by the tfjs and onnxruntime WebGPU probes. */
export const NO_VULKAN =
  'no Vulkan loader (libvulkan.so.1) on this Linux machine: install it (Debian/Ubuntu: apt install libvulkan1) with the GPU vendor’s Vulkan driver';

interface GpuLike {
  requestAdapter(opts?: unknown): Promise<unknown>;
}
interface WebgpuModule {
  create(flags: string[]): GpuLike;
  globals?: Record<string, unknown>;
}
interface OrtModule {
  listSupportedBackends?(): { name: string; bundled: boolean }[];
  InferenceSession: { create(model: Uint8Array, opts: { executionProviders: string[] }): Promise<{ release?(): Promise<void> }> };
}

const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);

const notInstalled = (e: unknown): boolean => {
  const code = (e as { code?: string }).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(msg(e));
};

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    t.unref?.();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function adapterInfo(adapter: unknown): AdapterInfo {
  const a = adapter as { info?: Partial<AdapterInfo>; isFallbackAdapter?: boolean };
  const i = a.info ?? {};
  const description = i.description ?? '';
  return {
    vendor: i.vendor ?? '',
    architecture: i.architecture ?? '',
    device: i.device ?? '',
    description,
    driver: /\d+\.\d+(?:\.\d+)*/.exec(description)?.[0] ?? null,
    isFallbackAdapter: Boolean(i.isFallbackAdapter ?? a.isFallbackAdapter),
  };
}

/** The WebGPU adapter through the `webgpu` package (Dawn), or why there is none. */
export async function probeWebgpu(env: ProbeEnv): Promise<{ adapter: AdapterInfo | null; gpu: GpuLike | null; module: WebgpuModule | null; reason?: string }> {
  if (env.vulkanLoader && env.vulkanLoader() === null) return { adapter: null, gpu: null, module: null, reason: NO_VULKAN };
  let mod: WebgpuModule;
  try {
    mod = (await env.load('webgpu')) as WebgpuModule;
  } catch (e) {
    return { adapter: null, gpu: null, module: null, reason: notInstalled(e) ? 'the optional package "webgpu" (Dawn) is not installed' : `loading "webgpu" failed: ${msg(e)}` };
  }
  try {
    const gpu = mod.create([]);
    const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), env.timeoutMs ?? 5000, 'requestAdapter');
    if (!adapter) return { adapter: null, gpu, module: mod, reason: 'no WebGPU adapter (Dawn found no usable Vulkan/Metal/D3D12 GPU or driver)' };
    return { adapter: adapterInfo(adapter), gpu, module: mod };
  } catch (e) {
    return { adapter: null, gpu: null, module: mod, reason: `the GPU driver failed while probing: ${msg(e)}` };
  }
}

/** A tiny ONNX model (Gemm + Relu) to try an execution provider on. */
export type ModelBytes = () => Promise<Uint8Array>;

export async function probeAll(env: ProbeEnv, tinyModel?: ModelBytes): Promise<ProbeReport> {
  const t0 = performance.now();
  const versions: Record<string, string> = {};
  for (const p of [
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-backend-webgpu',
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
    'webgpu',
    'onnxruntime-node',
  ]) {
    const v = env.version(p);
    if (v) versions[p] = v;
  }
  const backends: BackendProbe[] = [];
  const add = (b: Omit<BackendProbe, 'id' | 'runtime'> & { runtime: Runtime }) =>
    backends.push({ id: `${b.runtime}:${b.name}` as BackendId, ...b });

  // tfjs: tensorflow (tfjs-node / tfjs-node-gpu, optional), webgpu, wasm, cpu
  let tfjs = false;
  try {
    await env.load('@tensorflow/tfjs');
    tfjs = true;
  } catch (e) {
    add({ runtime: 'tfjs', name: 'cpu', device: 'cpu', available: false, reason: `@tensorflow/tfjs cannot be loaded: ${msg(e)}` });
  }
  const nodeGpu = versions['@tensorflow/tfjs-node-gpu'];
  const nodePkg = nodeGpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  if (!versions[nodePkg]) {
    add({ runtime: 'tfjs', name: 'tensorflow', device: 'cpu', available: false, reason: 'optional @tensorflow/tfjs-node is not installed (it downloads libtensorflow at install time)' });
  } else {
    try {
      await env.load(nodePkg);
      add({ runtime: 'tfjs', name: 'tensorflow', device: nodeGpu ? 'gpu' : 'cpu', available: tfjs, version: versions[nodePkg] });
    } catch (e) {
      add({ runtime: 'tfjs', name: 'tensorflow', device: nodeGpu ? 'gpu' : 'cpu', available: false, reason: `${nodePkg} is installed but fails to load: ${msg(e)}` });
    }
  }
  const wg = await probeWebgpu(env);
  const adapters = wg.adapter ? [wg.adapter] : [];
  if (!versions['@tensorflow/tfjs-backend-webgpu']) {
    add({ runtime: 'tfjs', name: 'webgpu', device: 'gpu', available: false, reason: 'optional @tensorflow/tfjs-backend-webgpu is not installed' });
  } else if (!wg.adapter) {
    add({ runtime: 'tfjs', name: 'webgpu', device: 'gpu', available: false, reason: wg.reason ?? 'no WebGPU adapter' });
  } else {
    add({ runtime: 'tfjs', name: 'webgpu', device: 'gpu', available: tfjs, version: versions['@tensorflow/tfjs-backend-webgpu'], reason: `${wg.adapter.vendor} ${wg.adapter.device}`.trim() });
  }
  if (!versions['@tensorflow/tfjs-backend-wasm']) {
    add({ runtime: 'tfjs', name: 'wasm', device: 'cpu', available: false, reason: '@tensorflow/tfjs-backend-wasm is not installed' });
  } else {
    add({ runtime: 'tfjs', name: 'wasm', device: 'cpu', available: tfjs, version: versions['@tensorflow/tfjs-backend-wasm'] });
  }
  if (tfjs) add({ runtime: 'tfjs', name: 'cpu', device: 'cpu', available: true, version: versions['@tensorflow/tfjs'] });

  // onnxruntime: webgpu (bundled in 1.30), cuda (when the user installed the provider), cpu
  let ort: OrtModule | null = null;
  try {
    ort = (await env.load('onnxruntime-node')) as OrtModule;
  } catch (e) {
    const reason = `onnxruntime-node cannot be loaded: ${msg(e)}`;
    for (const name of ['webgpu', 'cuda', 'cpu'] as const) add({ runtime: 'ort', name, device: name === 'cpu' ? 'cpu' : 'gpu', available: false, reason });
  }
  if (ort) {
    const listed = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
    const bundled = (n: string) => listed.some((b) => b.name === n && b.bundled);
    const tryEp = async (ep: string): Promise<string | null> => {
      if (ep === 'webgpu' && wg.reason === NO_VULKAN) return NO_VULKAN;
      if (!tinyModel) return ep === 'webgpu' && !wg.adapter ? (wg.reason ?? 'no WebGPU adapter') : null;
      try {
        const s = await withTimeout(ort.InferenceSession.create(await tinyModel(), { executionProviders: [ep] }), env.timeoutMs ?? 5000, `onnxruntime ${ep}`);
        await s.release?.();
        return null;
      } catch (e) {
        const full = e instanceof Error ? e.message : String(e);
        return /Failed to get a WebGPU adapter/.test(full) ? 'no WebGPU adapter (onnxruntime: "Failed to get a WebGPU adapter")' : msg(e);
      }
    };
    const ver = versions['onnxruntime-node'];
    if (!bundled('webgpu')) add({ runtime: 'ort', name: 'webgpu', device: 'gpu', available: false, reason: 'this onnxruntime-node build has no WebGPU execution provider' });
    else {
      const err = await tryEp('webgpu');
      add({ runtime: 'ort', name: 'webgpu', device: 'gpu', available: err === null, version: ver, reason: err ?? undefined });
    }
    if (!bundled('cuda'))
      add({ runtime: 'ort', name: 'cuda', device: 'gpu', available: false, reason: 'CUDA provider not installed (npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12)' });
    else {
      const err = await tryEp('cuda');
      add({ runtime: 'ort', name: 'cuda', device: 'gpu', available: err === null, version: ver, reason: err ?? undefined });
    }
    add({ runtime: 'ort', name: 'cpu', device: 'cpu', available: true, version: ver });
  }
  return { backends, adapters, versions, elapsed_ms: Math.round(performance.now() - t0) };
}
