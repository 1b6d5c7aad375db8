import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import type { LoadReport } from '../../compute/calibrate.js';

const loadLine = (l: LoadReport | null): string =>
  l
    ? `load average ${l.loadavg_start} → ${l.loadavg_end} on ${l.cores} cores; machine ${l.busy_pct}% busy, ${l.others_pct}% by other programs`
    : 'not recorded (measured by an older version)';

export const command: Command = {
  name: 'doctor',
  summary: 'compute backends: versions, CPU, GPU adapters, calibration per workload and the backend chosen',
  usage: 'pitwall doctor [--device gpu|cpu|auto] [--recalibrate] [--json]',
  options: [
    { name: 'device', type: 'string', description: 'gpu, cpu or auto (also PITWALL_DEVICE)' },
    { name: 'recalibrate', type: 'boolean', description: 'measure again even if this machine has a cached calibration' },
  ],
  async run(ctx) {
    const { parseDevice, setDevicePreference } = await import('../../compute/device.js');
    if (ctx.opts.device !== undefined) {
      try {
        setDevicePreference(parseDevice(ctx.opts.device));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    const { doctor } = await import('../../compute/index.js');
    const r = await doctor({ recalibrate: Boolean(ctx.opts.recalibrate) });
    const lines = [
      `pitwall ${r.versions.pitwall} · node ${r.versions.node} · ${r.cpu.cpu} × ${r.cpu.cores} (${r.cpu.platform}-${r.cpu.arch}, wasm SIMD ${r.cpu.simd ? 'yes' : 'no'})`,
      `packages: ${Object.entries(r.versions).filter(([k]) => k.includes('/') || k === 'webgpu' || k.startsWith('onnx')).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `GPU adapters: ${r.adapters.length ? r.adapters.map((a) => `${a.vendor} ${a.device} (${a.description})`).join('; ') : 'none'}`,
      '',
      'backends:',
      ...r.backends.map((b) => `  ${b.available ? '✓' : '✗'} ${b.id.padEnd(16)} ${b.device.padEnd(4)} ${b.available ? (b.version ?? '') : (b.reason ?? '')}`),
      '',
      `calibration (${r.calibration.cached ? `cached, measured ${r.calibration.measuredAt}` : `measured now, ${r.calibration.measuredAt}`}; ${r.calibration.file}):`,
      `  under load: ${loadLine(r.calibration.load)}`,
      ...r.calibration.rechecks.map((c) => `  re-measured ${c.workload} ${c.at}: ${c.backend} ran ${c.observed_ms.toFixed(1)} ms against ${c.calibrated_ms.toFixed(1)} ms calibrated (${loadLine(c.load)})`),
      ...r.calibration.timings.map((t) => `  ${t.workload.padEnd(12)} ${t.backend.padEnd(16)} ${t.median_ms === null ? `failed: ${t.error}` : `${t.median_ms.toFixed(2)} ms${t.note ? ` (${t.note})` : ''}`}`),
      '',
      `chosen (device ${r.device}):`,
      ...Object.values(r.choices).map((c) => `  ${c.workload.padEnd(12)} → ${c.backend.padEnd(16)} ${c.why}`),
    ];
    ctx.print(r, lines.join('\n'));
  },
};
