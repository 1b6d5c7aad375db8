// TensorFlow.js's module and its active backend (the low level under tf.ts): loads tfjs, registers and activates
// backends with a fallback chain, and records which backend a training run holds. Calibration (calibrate.ts) uses
// this module directly; tf.ts adds the choice by workload on top, so nothing here imports the calibration.
import type * as TF from '@tensorflow/tfjs';
import { loadPackage } from './packages.js';

export type Tf = typeof TF;
export type TfBackend = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

let tfModule: Promise<Tf> | undefined;
const registered = new Map<TfBackend, Promise<string | null>>();
const reported = new Set<string>();

export function logOnce(line: string): void {
  if (reported.has(line)) return;
  reported.add(line);
  console.error(line);
}

export function tfModuleLoaded(): Promise<Tf> {
  // production mode: no "install tfjs-node" banner on every CLI run (our backends are chosen and reported here)
  tfModule ??= import('@tensorflow/tfjs').then((tf) => (tf.enableProdMode(), tf));
  return tfModule;
}

/** Makes a backend known to tfjs; resolves to null, or to why it cannot be used. */
function register(name: TfBackend): Promise<string | null> {
  let p = registered.get(name);
  if (!p) {
    p = (async () => {
      try {
        if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
        if (name === 'tensorflow') {
          const pkgs = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
          let err: unknown;
          for (const pkg of pkgs) {
            try {
              await loadPackage(pkg);
              return null;
            } catch (e) {
              err = e;
            }
          }
          throw err instanceof Error ? err : new Error('@tensorflow/tfjs-node is not installed');
        }
        if (name === 'webgpu') {
          // navigator.gpu from Dawn (the `webgpu` package), then the tfjs webgpu backend registers itself
          const wg = (await import('webgpu')) as unknown as { create(f: string[]): { requestAdapter(): Promise<unknown> }; globals: object };
          const gpu = wg.create([]);
          if (!(await gpu.requestAdapter())) return 'no WebGPU adapter';
          Object.assign(globalThis, wg.globals);
          const nav = ((globalThis as { navigator?: object }).navigator ?? {}) as { gpu?: unknown };
          if (!nav.gpu) Object.defineProperty(globalThis, 'navigator', { value: { ...nav, gpu }, configurable: true, writable: true });
          await import('@tensorflow/tfjs-backend-webgpu');
        }
        return null;
      } catch (e) {
        return (e as Error).message.split('\n')[0] ?? String(e);
      }
    })();
    registered.set(name, p);
  }
  return p;
}

/** Activates `name` (falling back to wasm, then cpu, with the reason logged once); returns tf and what runs. */
export async function useTfBackend(name: TfBackend): Promise<{ tf: Tf; backend: TfBackend }> {
  const tf = await tfModuleLoaded();
  const chain = [...new Set<TfBackend>([name, 'wasm', 'cpu'])];
  for (const b of chain) {
    if (tf.getBackend() === b) return { tf, backend: b };
    const why = await register(b);
    let ok = false;
    let reason = why;
    if (why === null) {
      try {
        ok = await tf.setBackend(b);
        if (ok) await tf.ready();
        else reason = 'initialisation failed';
      } catch (e) {
        reason = (e as Error).message;
      }
    }
    if (ok) return { tf, backend: b };
    logOnce(`tfjs: ${b} backend unavailable (${reason}); falling back`);
  }
  throw new Error('tfjs: no backend could be initialised');
}

/** Human label of the active backend, for training logs ("training on webgpu (GPU)"). */
export function describeTfBackend(tf: Tf): string {
  const b = tf.getBackend();
  return `${b} (${b === 'webgpu' ? 'GPU' : b === 'tensorflow' ? 'libtensorflow' : 'CPU'})`;
}

let heldBackend: string | null = null;

/** The backend a training run holds, or null (calibration must not switch tfjs under a run). */
export function heldTfBackend(): string | null {
  return heldBackend;
}

/** Set by tf.ts's holdTf while a run holds the backend. */
export function setHeldTfBackend(b: string | null): void {
  heldBackend = b;
}
