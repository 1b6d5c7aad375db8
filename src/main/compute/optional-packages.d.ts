// Optional packages that may be absent (their install downloads native binaries): typed as opaque modules.
declare module '@tensorflow/tfjs-node';
declare module '@tensorflow/tfjs-node-gpu';
