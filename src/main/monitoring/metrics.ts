// STUB — replaced by the monitoring capability (prom-client registry).
import type { Engine } from '../engine/session.js';

export async function metricsText(_engine: Engine): Promise<{ contentType: string; body: string }> {
  return { contentType: 'text/plain; version=0.0.4', body: '' };
}
