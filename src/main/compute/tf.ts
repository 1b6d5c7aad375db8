// The one place that loads TensorFlow.js and picks its backend. Models call `loadTf()`; never import tfjs directly.
// (The compute capability extends this with measured backend choice; the default is wasm, then cpu.)
import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;
let loaded: Promise<Tf> | undefined;

export function loadTf(preferred: 'wasm' | 'cpu' = 'wasm'): Promise<Tf> {
  loaded ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    if (preferred === 'wasm') {
      try {
        await import('@tensorflow/tfjs-backend-wasm');
        if (await tf.setBackend('wasm')) {
          await tf.ready();
          return tf;
        }
      } catch (e) {
        console.error(`tfjs: wasm backend unavailable (${(e as Error).message}); using cpu`);
      }
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return loaded;
}
