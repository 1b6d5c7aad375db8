// The calibration cache: one JSON file under the data directory, valid while the machine fingerprint (package and
// runtime versions, CPU, GPU adapters and driver, ORT providers) is unchanged.
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataDir } from '../data/paths.js';
import type { ProbeReport } from './probe.js';
import type { LoadReport } from './calibrate.js';
import type { Timing, Workload } from './select.js';

/** Bump when a workload or the way it is measured changes (2: the warm-up step is never judged; 3: candidates
 *  interleaved, judged by the median of the faster half). */
export const WORKLOAD_REVISION = 3;

/** A cached choice checked again because a run was slower than calibrated. */
export interface Recheck {
  at: string;
  workload: Workload;
  backend: string;
  calibrated_ms: number;
  observed_ms: number;
  load: LoadReport;
}

export interface CalibrationCache {
  fingerprint: string;
  measuredAt: string;
  /** How busy the machine was while it was measured. */
  load?: LoadReport;
  timings: Timing[];
  rechecks?: Recheck[];
}

export const cacheFile = (): string => join(dataDir(), 'compute-calibration.json');

export function machineInfo() {
  const c = cpus();
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
  };
}

export function fingerprint(probe: Pick<ProbeReport, 'versions' | 'adapters' | 'backends'>): string {
  const key = {
    rev: WORKLOAD_REVISION,
    machine: machineInfo(),
    versions: probe.versions,
    adapters: probe.adapters.map((a) => [a.vendor, a.device, a.architecture, a.description]),
    available: probe.backends.filter((b) => b.available).map((b) => b.id),
  };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
}

export function readCache(fp: string, file = cacheFile()): CalibrationCache | null {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CalibrationCache;
    return c.fingerprint === fp && Array.isArray(c.timings) ? c : null;
  } catch {
    return null;
  }
}

export function writeCache(c: CalibrationCache, file = cacheFile()): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(c, null, 2));
  renameSync(tmp, file);
}
