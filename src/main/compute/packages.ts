// The optional compute packages, each imported by its literal name (the import graph stays visible to lint and
// tsc); a package that is not installed rejects, which the probe reports as unavailable.
export const OPTIONAL_PACKAGES = ['webgpu', '@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node'] as const;
export type OptionalPackage = (typeof OPTIONAL_PACKAGES)[number];

export function loadPackage(name: string): Promise<unknown> {
  switch (name as OptionalPackage) {
    case 'webgpu':
      return import('webgpu');
    case '@tensorflow/tfjs':
      return import('@tensorflow/tfjs');
    case '@tensorflow/tfjs-node':
      return import('@tensorflow/tfjs-node');
    case '@tensorflow/tfjs-node-gpu':
      return import('@tensorflow/tfjs-node-gpu');
    case 'onnxruntime-node':
      return import('onnxruntime-node');
  }
  return Promise.reject(new Error(`"${name}" is not one of PitWall's optional compute packages (${OPTIONAL_PACKAGES.join(', ')})`));
}
