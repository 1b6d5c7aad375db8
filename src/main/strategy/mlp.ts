// Plain-JS forward pass of the small tanh MLPs that PPO trains in TensorFlow.js (fast rollouts, no tfjs to load).
export interface DenseLayer {
  w: Float32Array; // [in × out] row-major, as tfjs stores kernels
  b: Float32Array;
  inSize: number;
  outSize: number;
}

export interface Mlp {
  layers: DenseLayer[]; // hidden layers use tanh, the last is linear
}

export function mlpForward(net: Mlp, x: Float32Array, out?: Float32Array): Float32Array {
  let cur = x;
  for (let l = 0; l < net.layers.length; l++) {
    const { w, b, inSize, outSize } = net.layers[l]!;
    const y = l === net.layers.length - 1 && out ? out : new Float32Array(outSize);
    for (let o = 0; o < outSize; o++) {
      let s = b[o]!;
      for (let k = 0; k < inSize; k++) s += cur[k]! * w[k * outSize + o]!;
      y[o] = l < net.layers.length - 1 ? Math.tanh(s) : s;
    }
    cur = y;
  }
  return cur;
}

/** Masked softmax of logits into `probs`; returns probs. */
export function maskedSoftmax(logits: ArrayLike<number>, mask: ArrayLike<number>, probs: Float32Array): Float32Array {
  let mx = -Infinity;
  for (let a = 0; a < logits.length; a++) if (mask[a] && logits[a]! > mx) mx = logits[a]!;
  let z = 0;
  for (let a = 0; a < logits.length; a++) {
    const e = mask[a] ? Math.exp(logits[a]! - mx) : 0;
    probs[a] = e;
    z += e;
  }
  for (let a = 0; a < logits.length; a++) probs[a] = probs[a]! / z;
  return probs;
}

export function argmaxMasked(logits: ArrayLike<number>, mask: ArrayLike<number>): number {
  let best = -1, bv = -Infinity;
  for (let a = 0; a < logits.length; a++) {
    if (mask[a] && logits[a]! > bv) {
      bv = logits[a]!;
      best = a;
    }
  }
  return best < 0 ? 0 : best;
}

const b64 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const unb64 = (s: string): Float32Array => {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
};

export interface MlpJson {
  layers: { inSize: number; outSize: number; w: string; b: string }[];
}

export const mlpToJson = (net: Mlp): MlpJson => ({
  layers: net.layers.map((l) => ({ inSize: l.inSize, outSize: l.outSize, w: b64(l.w), b: b64(l.b) })),
});

export const mlpFromJson = (j: MlpJson): Mlp => ({
  layers: j.layers.map((l) => ({ inSize: l.inSize, outSize: l.outSize, w: unb64(l.w), b: unb64(l.b) })),
});
