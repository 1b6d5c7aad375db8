// WebGPU smoke test through the `webgpu` package (Dawn), independent of PitWall's code:
// 1. adapter (info, fallback flag, a few limits, features), 2. device + a compute shader (y = 2x, 1M floats) read
// back and checked, 3. tfjs-backend-webgpu: 1024² matMul with `await data()`, then whether dataSync works.
// Each step prints its result or its error; the process always exits. Usage: node .gpu/webgpu-smoke.mjs
const t0 = performance.now();
const ms = () => `${(performance.now() - t0).toFixed(0)} ms`;
const log = (...a) => console.log(`[${ms()}]`, ...a);
const withTimeout = (p, s, what) =>
  Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what}: no answer within ${s} s`)), s * 1000).unref())]);

let wg;
try {
  wg = await import('webgpu');
  log('webgpu package loaded');
} catch (e) {
  log('FAIL loading the webgpu package:', e.stack ?? e);
  process.exit(1);
}

let device;
try {
  const gpu = wg.create([]);
  const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), 30, 'requestAdapter');
  if (!adapter) throw new Error('requestAdapter returned null: Dawn found no usable adapter (Vulkan loader/ICD?)');
  const i = adapter.info ?? {};
  log('ADAPTER', JSON.stringify({ vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter ?? adapter.isFallbackAdapter }));
  const L = adapter.limits;
  log('limits', JSON.stringify({ maxBufferSize: L.maxBufferSize, maxStorageBufferBindingSize: L.maxStorageBufferBindingSize, maxComputeWorkgroupStorageSize: L.maxComputeWorkgroupStorageSize, maxComputeInvocationsPerWorkgroup: L.maxComputeInvocationsPerWorkgroup }));
  log('features', [...adapter.features].sort().join(' '));
  device = await withTimeout(adapter.requestDevice(), 30, 'requestDevice');
  log('device ok');
  const n = 1 << 20;
  const x = Float32Array.from({ length: n }, (_, k) => k % 1000);
  const buf = device.createBuffer({ size: x.byteLength, usage: GPUBufferUsageFlags().STORAGE | GPUBufferUsageFlags().COPY_SRC | GPUBufferUsageFlags().COPY_DST });
  device.queue.writeBuffer(buf, 0, x);
  const read = device.createBuffer({ size: x.byteLength, usage: GPUBufferUsageFlags().MAP_READ | GPUBufferUsageFlags().COPY_DST });
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) g: vec3u) { if (g.x < arrayLength(&v)) { v[g.x] = 2.0 * v[g.x]; } }`,
  });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
  const c0 = performance.now();
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bind);
  pass.dispatchWorkgroups(n / 256);
  pass.end();
  enc.copyBufferToBuffer(buf, 0, read, 0, x.byteLength);
  device.queue.submit([enc.finish()]);
  await withTimeout(read.mapAsync(GPUMapModeFlags().READ), 30, 'mapAsync');
  const y = new Float32Array(read.getMappedRange().slice(0));
  read.unmap();
  const bad = y.findIndex((v, k) => v !== 2 * x[k]);
  log(bad < 0 ? `COMPUTE OK: y = 2x over ${n} floats in ${(performance.now() - c0).toFixed(1)} ms (incl. pipeline, copy, map)` : `COMPUTE WRONG at ${bad}: ${y[bad]} != ${2 * x[bad]}`);
} catch (e) {
  log('FAIL (Dawn):', e.stack ?? e);
}

function GPUBufferUsageFlags() {
  return globalThis.GPUBufferUsage ?? wg.globals.GPUBufferUsage ?? { MAP_READ: 1, MAP_WRITE: 2, COPY_SRC: 4, COPY_DST: 8, STORAGE: 128 };
}
function GPUMapModeFlags() {
  return globalThis.GPUMapMode ?? wg.globals.GPUMapMode ?? { READ: 1, WRITE: 2 };
}

// tfjs on webgpu, set up as src/main/compute/tf.ts does (globals + navigator.gpu, then import the backend)
try {
  const gpu = wg.create([]);
  Object.assign(globalThis, wg.globals);
  if (!globalThis.navigator?.gpu) Object.defineProperty(globalThis, 'navigator', { value: { ...(globalThis.navigator ?? {}), gpu }, configurable: true, writable: true });
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-webgpu');
  const ok = await withTimeout(tf.setBackend('webgpu'), 60, 'tf.setBackend(webgpu)');
  if (ok) await tf.ready();
  log('tfjs setBackend(webgpu):', ok, 'active:', tf.getBackend());
  if (tf.getBackend() !== 'webgpu') throw new Error(`tfjs webgpu backend not active (active: ${tf.getBackend()})`);
  const a = tf.randomUniform([1024, 1024]);
  const b = tf.randomUniform([1024, 1024]);
  for (let k = 0; k < 3; k++) {
    const m0 = performance.now();
    const c = tf.matMul(a, b);
    const v = await c.data();
    log(`tfjs webgpu matMul 1024² #${k}: ${(performance.now() - m0).toFixed(1)} ms, c[0]=${v[0].toFixed(3)}`);
    c.dispose();
  }
  try {
    const s = tf.sum(a);
    log('tfjs webgpu dataSync works:', s.dataSync()[0]);
  } catch (e) {
    log('tfjs webgpu dataSync FAILS (expected in Node):', String(e.message ?? e).split('\n')[0]);
  }
} catch (e) {
  log('FAIL (tfjs webgpu):', e.stack ?? e);
}
try {
  device?.destroy();
} catch {
  // already lost: nothing to free
}
log('done');
process.exit(0);
