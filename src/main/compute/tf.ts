// The one place that loads TensorFlow.js and picks its backend. Models call `loadTf()`; never import tfjs directly.
//
// loadTf()                       → wasm (then cpu), as before — unless the user forced a device (--device, PITWALL_DEVICE),
//                                  then the measured choice within that device
// loadTf('cpu' | 'wasm' | …)     → that backend, falling back (with a logged reason) to wasm, then cpu
// loadTf('auto', { workload })   → the backend calibration measured fastest for that workload on this machine
//                                  (cached per machine; see compute/index.ts and `pitwall doctor`)
// holdTf('auto', { workload })   → the same, kept until release(): trainings hold their backend, and loadTf() calls
//                                  meanwhile (a model loaded for serving, a checkpoint) get it instead of switching
// tfjs keeps one active backend per process: the call switches it, and a tensor used after a switch is moved with a
// synchronous read (which fails on webgpu). Read results with `await t.data()` (dataSync fails on webgpu in Node).
import type * as TF from '@tensorflow/tfjs';
import type { Workload } from './select.js';
import { loadPackage } from './packages.js';

export type Tf = typeof TF;
export type TfBackend = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

let tfModule: Promise<Tf> | undefined;
const registered = new Map<TfBackend, Promise<string | null>>();
const reported = new Set<string>();

function logOnce(line: string): void {
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

/** The backend `preferred` resolves to (see the header). */
async function backendName(preferred: TfBackend | 'auto' | undefined, workload: Workload | undefined): Promise<TfBackend> {
  let name: TfBackend = preferred && preferred !== 'auto' ? preferred : 'wasm';
  if (preferred === 'auto' || preferred === undefined) {
    const { devicePreference } = await import('./device.js');
    const device = devicePreference();
    if (preferred === 'auto' || device !== 'auto') {
      const { backendFor } = await import('./index.js');
      const choice = await backendFor(workload ?? 'batch-infer', { device });
      if (choice.backend.startsWith('tfjs:')) name = choice.backend.slice(5) as TfBackend;
    }
  }
  return name;
}

interface Hold {
  backend: string;
  /** What the first run asked for (a backend or workload): runs joining with the same request are not logged. */
  asked: string;
  count: number;
}
let hold: Hold | undefined;
let turn: Promise<unknown> = Promise.resolve();

/** Backend choices run one at a time: a check of the hold and the switch it allows never interleave with another. */
function inTurn<T>(fn: () => Promise<T>): Promise<T> {
  const p = turn.then(fn);
  turn = p.catch(() => undefined);
  return p;
}

/** tf on the held backend; `asked` (a backend, or the workload of an 'auto' request) is logged once when it differs. */
const askedFor = (preferred: TfBackend | 'auto' | undefined, workload: Workload | undefined): string =>
  preferred && preferred !== 'auto' ? preferred : (workload ?? 'inference');

async function held(h: Hold, preferred: TfBackend | 'auto' | undefined, workload: Workload | undefined): Promise<Tf> {
  const asked = askedFor(preferred, workload);
  if (asked !== h.backend && asked !== h.asked) logOnce(`tfjs: ${asked} runs on ${h.backend}, held by a training run (no switch)`);
  return tfModuleLoaded();
}

/** The backend a training run holds, or null (calibration must not switch tfjs under a run). */
export function heldTfBackend(): string | null {
  return hold?.backend ?? null;
}

export function loadTf(preferred?: TfBackend | 'auto', opts: { workload?: Workload } = {}): Promise<Tf> {
  return inTurn(async () => {
    if (hold) return held(hold, preferred, opts.workload);
    return (await useTfBackend(await backendName(preferred, opts.workload))).tf;
  });
}

export interface TfHold {
  tf: Tf;
  /** The backend the run's tensors live on. */
  backend: string;
  /** Ends this hold (idempotent); the backend stays active until the next loadTf() asks for another. */
  release(): void;
}

/**
 * loadTf() for a training run: picks the backend and keeps it while the run lasts. Create the run's tensors after
 * this resolves. Holds nest: while one is held, another (a second run, a nested step) joins it on the same backend.
 */
export function holdTf(preferred: TfBackend | 'auto', opts: { workload?: Workload } = {}): Promise<TfHold> {
  return inTurn(async () => {
    if (!hold) {
      const { backend } = await useTfBackend(await backendName(preferred, opts.workload));
      hold = { backend, asked: askedFor(preferred, opts.workload), count: 0 };
    }
    else await held(hold, preferred, opts.workload);
    const h = hold;
    h.count++;
    let released = false;
    return {
      tf: await tfModuleLoaded(),
      backend: h.backend,
      release() {
        if (released) return;
        released = true;
        if (--h.count === 0 && hold === h) hold = undefined;
      },
    };
  });
}
