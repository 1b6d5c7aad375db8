// Compute backends behind one interface: probe once per process, calibrate once per machine (cached), choose per
// workload within the user's device preference. Models ask `loadTf('auto', { workload })` or
// `ortExecutionProviders(workload)`; `pitwall doctor` shows the whole picture.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../data/paths.js';
import { VERSION } from '../util/version.js';
import { cacheFile, fingerprint, machineInfo, readCache, writeCache, type CalibrationCache } from './cache.js';
import { calibrateAll } from './calibrate.js';
import { devicePreference, type DevicePref } from './device.js';
import { mlpOnnx, mlpWeights } from './onnx.js';
import { probeAll, type AdapterInfo, type BackendProbe, type ProbeEnv, type ProbeReport } from './probe.js';
import { choose, WORKLOADS, type Choice, type Timing, type Workload } from './select.js';
import { loadPackage } from './packages.js';

export type { Choice, Timing, Workload, BackendProbe, AdapterInfo, DevicePref };

const require = createRequire(import.meta.url);

/** The Vulkan loader's path on Linux (the ld cache's usual folders and LD_LIBRARY_PATH), else null; 'n/a' elsewhere. */
export function findVulkanLoader(env: NodeJS.ProcessEnv = process.env, exists: (f: string) => boolean = existsSync): string | null {
  if (process.platform !== 'linux') return 'n/a';
  const dirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    `/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    '/usr/lib64',
    '/lib64',
    '/usr/lib',
    '/lib',
    '/usr/local/lib',
  ];
  return dirs.map((d) => join(d, 'libvulkan.so.1')).find((f) => exists(f)) ?? null;
}

export const nodeProbeEnv: ProbeEnv = {
  load: loadPackage,
  vulkanLoader: () => findVulkanLoader(),
  version(name) {
    const candidates = [join(APP_ROOT, 'node_modules', name, 'package.json')];
    try {
      candidates.unshift(require.resolve(`${name}/package.json`));
    } catch {
      // not exported or not installed: the path below decides
    }
    for (const f of candidates) {
      if (!existsSync(f)) continue;
      try {
        return (JSON.parse(readFileSync(f, 'utf8')) as { version?: string }).version;
      } catch {
        // unreadable: treat as absent
      }
    }
    return undefined;
  },
};

let probed: Promise<ProbeReport> | undefined;

/** The backends of this machine (probed once per process; never throws). */
export function probe(env: ProbeEnv = nodeProbeEnv): Promise<ProbeReport> {
  if (env !== nodeProbeEnv) return probeAll(env, async () => mlpOnnx(mlpWeights([4, 8, 1])));
  probed ??= probeAll(env, async () => mlpOnnx(mlpWeights([4, 8, 1])));
  return probed;
}

export interface CalibrationState {
  cached: boolean;
  file: string;
  fingerprint: string;
  measuredAt: string | null;
  timings: Timing[];
}

/** The cached calibration, measured now when missing (or `recalibrate`). */
export async function calibration(opts: { recalibrate?: boolean; measure?: boolean } = {}): Promise<CalibrationState> {
  const p = await probe();
  const fp = fingerprint(p);
  const file = cacheFile();
  const cached = opts.recalibrate ? null : readCache(fp, file);
  if (cached) return { cached: true, file, fingerprint: fp, measuredAt: cached.measuredAt, timings: cached.timings };
  if (opts.measure === false) return { cached: false, file, fingerprint: fp, measuredAt: null, timings: [] };
  const timings = await calibrateAll(p.backends);
  const c: CalibrationCache = { fingerprint: fp, measuredAt: new Date().toISOString(), timings };
  try {
    writeCache(c, file);
  } catch (e) {
    console.error(`compute: calibration cache not written (${(e as Error).message})`);
  }
  return { cached: false, file, fingerprint: fp, measuredAt: c.measuredAt, timings };
}

/**
 * The backend for a workload. Uses the cached calibration; measures only when a GPU backend is available and the
 * machine was never calibrated (on CPU-only machines the default, wasm, is used until `pitwall doctor` measures).
 */
export async function backendFor(workload: Workload, opts: { device?: DevicePref } = {}): Promise<Choice> {
  const p = await probe();
  const gpu = p.backends.some((b) => b.available && b.device === 'gpu');
  // measuring can be refused (a training run holds tfjs): choose uncalibrated then, and measure another time
  const timings = await calibration({ measure: gpu }).then((c) => c.timings, () => []);
  const c = choose(workload, p.backends, timings, opts.device ?? devicePreference());
  return c;
}

/** Execution providers for an onnxruntime session of this workload (the choice, then cpu). */
export async function ortExecutionProviders(workload: Workload = 'ort-infer'): Promise<string[]> {
  const c = await backendFor(workload);
  const ep = c.backend.startsWith('ort:') ? c.backend.slice(4) : 'cpu';
  return ep === 'cpu' ? ['cpu'] : [ep, 'cpu'];
}

export interface DoctorReport {
  versions: Record<string, string>;
  cpu: ReturnType<typeof machineInfo> & { simd: boolean };
  device: DevicePref;
  backends: BackendProbe[];
  adapters: AdapterInfo[];
  calibration: CalibrationState & { workloads: typeof WORKLOADS };
  choices: Record<Workload, Choice>;
  elapsed_ms: number;
}

export async function doctor(opts: { device?: DevicePref; recalibrate?: boolean } = {}): Promise<DoctorReport> {
  const t0 = performance.now();
  const p = await probe();
  const cal = await calibration({ recalibrate: opts.recalibrate });
  const device = opts.device ?? devicePreference();
  const choices = Object.fromEntries(WORKLOADS.map((w) => [w.name, choose(w.name, p.backends, cal.timings, device)])) as Record<Workload, Choice>;
  const m = machineInfo();
  return {
    versions: { pitwall: VERSION, node: process.versions.node, ...p.versions },
    cpu: { ...m, simd: wasmSimd() },
    device,
    backends: p.backends,
    adapters: p.adapters,
    calibration: { ...cal, workloads: WORKLOADS },
    choices,
    elapsed_ms: Math.round(performance.now() - t0),
  };
}

/** Whether this V8 validates a WASM SIMD instruction (the tfjs wasm backend uses SIMD when it can). */
function wasmSimd(): boolean {
  try {
    const wasm = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
    return Boolean(wasm?.validate(
      new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11])),
    );
  } catch {
    return false;
  }
}
