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
import type { Workload } from './select.js';
import { logOnce, setHeldTfBackend, tfModuleLoaded, useTfBackend, type Tf, type TfBackend } from './tf-backend.js';

export { describeTfBackend, heldTfBackend, tfModuleLoaded, useTfBackend, type Tf, type TfBackend } from './tf-backend.js';

/** The backend `preferred` resolves to (see the header). */
async function backendName(preferred: TfBackend | 'auto' | undefined, workload: Workload | undefined, run = false): Promise<TfBackend> {
  let name: TfBackend = preferred && preferred !== 'auto' ? preferred : 'wasm';
  if (preferred === 'auto' || preferred === undefined) {
    const { devicePreference } = await import('./device.js');
    const device = devicePreference();
    if (preferred === 'auto' || device !== 'auto') {
      const { backendFor, backendForRun } = await import('./index.js');
      // a training run checks the cached choice first (re-measured when the backend runs > 1.5× slower than calibrated)
      const choice = await (run && workload ? backendForRun : backendFor)(workload ?? 'batch-infer', { device });
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
      const { backend } = await useTfBackend(await backendName(preferred, opts.workload, true));
      hold = { backend, asked: askedFor(preferred, opts.workload), count: 0 };
      setHeldTfBackend(backend);
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
        if (--h.count === 0 && hold === h) {
          hold = undefined;
          setHeldTfBackend(null);
        }
      },
    };
  });
}
