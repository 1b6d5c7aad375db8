// Which backend runs each workload: the fastest measured one, within the device the user allows. Pure.
import type { DevicePref } from './device.js';
import type { BackendId, BackendProbe, Runtime } from './probe.js';

export type Workload = 'tyre-train' | 'ppo-update' | 'batch-infer' | 'ort-infer';

export const WORKLOADS: { name: Workload; runtime: Runtime; description: string }[] = [
  { name: 'tyre-train', runtime: 'tfjs', description: 'tyre-model training step: LSTM(32) + dense head, batch 32 × 20 laps × 8 features, Adam' },
  { name: 'ppo-update', runtime: 'tfjs', description: 'PPO update: MLP 32→128→128→5 gradient step on a batch of 1024 transitions' },
  { name: 'batch-infer', runtime: 'tfjs', description: 'batch inference: MLP 26→64→32→1 over 20,000 rows (a season of entries ×20)' },
  { name: 'ort-infer', runtime: 'ort', description: 'onnxruntime batch inference: MLP 26→64→64→1 (ONNX Gemm/Relu) over 20,000 rows' },
];

export interface Timing {
  workload: Workload;
  backend: BackendId;
  /** Median wall time of one step, ms (null when the run failed). */
  median_ms: number | null;
  reps: number;
  error?: string;
  note?: string;
}

export interface Choice {
  workload: Workload;
  backend: BackendId;
  device: 'gpu' | 'cpu';
  measured: boolean;
  why: string;
}

/** Unmeasured default order per runtime and device. */
const DEFAULT_ORDER: Record<Runtime, Record<'gpu' | 'cpu', BackendId[]>> = {
  tfjs: { gpu: ['tfjs:webgpu', 'tfjs:tensorflow'], cpu: ['tfjs:tensorflow', 'tfjs:wasm', 'tfjs:cpu'] },
  ort: { gpu: ['ort:cuda', 'ort:webgpu'], cpu: ['ort:cpu'] },
};

/** Under 'auto' a GPU backend must beat the best CPU backend by this factor: a near-tie is noise (3-step medians
 *  swapped places between runs on an H100), and the CPU has no shader compiles or transfers to pay. */
export const GPU_MARGIN = 1.25;

/** The default CPU backend of each runtime; another CPU backend must be DEFAULT_MARGIN× faster to replace it (a
 *  calibration measured on a busy machine once chose tfjs's cpu backend at 80 ms against wasm's 88 ms; quiet, wasm
 *  takes 48 ms and cpu 137 ms). */
export const DEFAULT_CPU: Record<Runtime, BackendId> = { tfjs: 'tfjs:wasm', ort: 'ort:cpu' };
export const DEFAULT_MARGIN = 1.25;

const ms = (t: number): string => (t >= 100 ? t.toFixed(0) : t >= 10 ? t.toFixed(1) : t.toFixed(2)) + ' ms';

export function choose(workload: Workload, probes: BackendProbe[], timings: Timing[], pref: DevicePref): Choice {
  const runtime = WORKLOADS.find((w) => w.name === workload)!.runtime;
  const usable = probes.filter((p) => p.runtime === runtime && p.available);
  const timed = (p: BackendProbe) => timings.find((t) => t.workload === workload && t.backend === p.id && t.median_ms !== null)?.median_ms ?? null;
  const def = usable.find((p) => p.id === DEFAULT_CPU[runtime] && timed(p) !== null);
  let keptDefault: string | null = null;
  const pick = (device: 'gpu' | 'cpu' | 'any'): { probe: BackendProbe; t: number | null } | null => {
    const pool = usable.filter((p) => device === 'any' || p.device === device);
    const measured = pool.filter((p) => timed(p) !== null).sort((a, b) => timed(a)! - timed(b)!);
    const best = measured[0];
    if (best && def && best !== def && best.device === 'cpu' && device !== 'gpu' && timed(best)! * DEFAULT_MARGIN > timed(def)!) {
      keptDefault = `${best.id} is not ${DEFAULT_MARGIN}× faster than the default ${def.id}: staying on ${def.id}`;
      return { probe: def, t: timed(def) };
    }
    if (best) return { probe: best, t: timed(best) };
    const order = device === 'any' ? [...DEFAULT_ORDER[runtime].cpu, ...DEFAULT_ORDER[runtime].gpu] : DEFAULT_ORDER[runtime][device];
    for (const id of order) {
      const p = pool.find((x) => x.id === id);
      if (p) return { probe: p, t: null };
    }
    return null;
  };
  const table = (device: 'gpu' | 'cpu' | 'any') =>
    usable
      .filter((p) => (device === 'any' || p.device === device) && timed(p) !== null)
      .sort((a, b) => timed(a)! - timed(b)!)
      .map((p) => `${p.id} ${ms(timed(p)!)}`)
      .join(' < ');
  const unavailable = (device: 'gpu' | 'cpu') =>
    probes
      .filter((p) => p.runtime === runtime && p.device === device && !p.available)
      .map((p) => `${p.id}: ${p.reason ?? 'unavailable'}`)
      .join('; ');
  const result = (r: { probe: BackendProbe; t: number | null }, why: string): Choice => ({
    workload,
    backend: r.probe.id,
    device: r.probe.device,
    measured: r.t !== null,
    why,
  });
  const fallback: Choice = { workload, backend: runtime === 'tfjs' ? 'tfjs:cpu' : 'ort:cpu', device: 'cpu', measured: false, why: `no ${runtime} backend is available` };

  if (pref === 'gpu') {
    const g = pick('gpu');
    if (g) return result(g, g.t !== null ? `--device gpu: fastest GPU backend measured (${table('gpu')})` : '--device gpu: GPU backend (not calibrated)');
    const c = pick('cpu');
    return c ? result(c, `--device gpu asked, but no GPU backend is available (${unavailable('gpu') || 'none probed'}); fell back to ${c.probe.id}`) : fallback;
  }
  if (pref === 'cpu') {
    const c = pick('cpu');
    const kept = () => (keptDefault ? `; ${keptDefault}` : '');
    return c ? result(c, c.t !== null ? `--device cpu: fastest CPU backend measured (${table('cpu')})${kept()}` : `--device cpu: ${c.probe.id} (not calibrated)`) : fallback;
  }
  const a = pick('any');
  if (!a) return fallback;
  if (a.t === null) return result(a, `not calibrated yet: default ${a.probe.id}`);
  const c = a.probe.device === 'gpu' ? pick('cpu') : null;
  if (c && c.t !== null && c.t < a.t * GPU_MARGIN)
    return result(c, `fastest measured: ${table('any')}, but the GPU is not ${GPU_MARGIN}× faster: staying on ${c.probe.id}`);
  const noGpu = usable.some((p) => p.device === 'gpu') ? '' : ` (no GPU backend: ${unavailable('gpu') || 'none probed'})`;
  const kept = keptDefault && a.probe.id === def?.id ? `; ${String(keptDefault)}` : '';
  return result(a, `fastest measured: ${table('any')}${noGpu}${kept}`);
}
