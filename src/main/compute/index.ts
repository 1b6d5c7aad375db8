// Compute backends behind one interface: probe once per process, calibrate once per machine (cached), choose per
// workload within the user's device preference. Models ask `loadTf('auto', { workload })` or
// `ortExecutionProviders(workload)`; `pitwall doctor` shows the whole picture.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../data/paths.js';
import { VERSION } from '../util/version.js';
import { cacheFile, fingerprint, machineInfo, readCache, writeCache, type CalibrationCache, type Recheck } from './cache.js';
import { calibrateAll, candidate, interleave, LoadMeter, type LoadReport } from './calibrate.js';
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
  /** How busy the machine was while it was measured (null: not measured, or cached before this was recorded). */
  load: LoadReport | null;
  timings: Timing[];
  rechecks: Recheck[];
}

/** The cached calibration, measured now when missing (or `recalibrate`). */
export async function calibration(opts: { recalibrate?: boolean; measure?: boolean } = {}): Promise<CalibrationState> {
  const p = await probe();
  const fp = fingerprint(p);
  const file = cacheFile();
  const cached = opts.recalibrate ? null : readCache(fp, file);
  if (cached)
    return { cached: true, file, fingerprint: fp, measuredAt: cached.measuredAt, load: cached.load ?? null, timings: cached.timings, rechecks: cached.rechecks ?? [] };
  if (opts.measure === false) return { cached: false, file, fingerprint: fp, measuredAt: null, load: null, timings: [], rechecks: [] };
  const meter = new LoadMeter();
  const timings = await calibrateAll(p.backends);
  const c: CalibrationCache = { fingerprint: fp, measuredAt: new Date().toISOString(), load: meter.stop(), timings };
  save(c, file);
  return { cached: false, file, fingerprint: fp, measuredAt: c.measuredAt, load: c.load!, timings, rechecks: [] };
}

function save(c: CalibrationCache, file: string): void {
  try {
    writeCache(c, file);
  } catch (e) {
    console.error(`compute: calibration cache not written (${(e as Error).message})`);
  }
}

/** A run slower than this factor × its calibrated time means the machine is not as calibrated: check again. */
export const RECHECK_FACTOR = 1.5;

export interface RunCheckDeps {
  /** Times the chosen backend on the workload now (ms per step), null when it cannot. */
  timeNow?: (workload: Workload, backend: Choice['backend']) => Promise<number | null>;
  /** Measures the workload again on every backend. */
  remeasure?: (workload: Workload, probes: BackendProbe[]) => Promise<Timing[]>;
}

/** Three timed steps (after a warm-up) of the workload on one backend; the median of the faster half. */
async function timeNow(workload: Workload, backend: Choice['backend']): Promise<number | null> {
  const [t] = await interleave(workload, [candidate(workload, backend)], { rounds: 1, reps: 3 });
  return t?.median_ms ?? null;
}

/**
 * The backend for a long run (a training): the cached choice, checked first. The chosen backend runs the workload a
 * few steps; slower than RECHECK_FACTOR × its calibrated time (the machine was measured under other conditions, or
 * the measurement was fooled), this workload is measured again, the cache updated (with a `rechecks` record) and
 * the choice made on the new figures.
 */
export async function backendForRun(workload: Workload, opts: { device?: DevicePref } & RunCheckDeps = {}): Promise<Choice> {
  const device = opts.device ?? devicePreference();
  const choice = await backendFor(workload, { device });
  if (!choice.measured) return choice;
  const cal = await calibration({ measure: false });
  const calibrated = cal.timings.find((t) => t.workload === workload && t.backend === choice.backend)?.median_ms;
  if (!cal.cached || !calibrated) return choice;
  let observed: number | null;
  try {
    observed = await (opts.timeNow ?? timeNow)(workload, choice.backend);
  } catch {
    return choice;
  }
  if (observed === null || observed <= RECHECK_FACTOR * calibrated) return choice;
  const p = await probe();
  const meter = new LoadMeter();
  let fresh: Timing[];
  try {
    fresh = await (opts.remeasure ?? ((w, b) => calibrateAll(b, { workloads: [w] })))(workload, p.backends);
  } catch {
    return choice; // refused (a run holds tfjs): keep the cached choice
  }
  const timings = [...cal.timings.filter((t) => t.workload !== workload), ...fresh];
  const recheck: Recheck = { at: new Date().toISOString(), workload, backend: choice.backend, calibrated_ms: calibrated, observed_ms: observed, load: meter.stop() };
  save({ fingerprint: cal.fingerprint, measuredAt: cal.measuredAt!, ...(cal.load ? { load: cal.load } : {}), timings, rechecks: [...cal.rechecks, recheck].slice(-10) }, cal.file);
  const next = choose(workload, p.backends, timings, device);
  return { ...next, why: `${next.why} (re-measured: ${choice.backend} ran ${observed.toFixed(1)} ms against ${calibrated.toFixed(1)} ms calibrated)` };
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
