// The user's device choice: --device gpu|cpu|auto (CLI), PITWALL_DEVICE, or the app setting; default auto.

export type DevicePref = 'auto' | 'gpu' | 'cpu';
const PREFS: readonly DevicePref[] = ['auto', 'gpu', 'cpu'];

let override: DevicePref | undefined;

export function parseDevice(v: unknown, where = '--device'): DevicePref {
  const s = String(v ?? '').toLowerCase();
  if (!(PREFS as readonly string[]).includes(s)) throw new Error(`${where} must be gpu, cpu or auto (got "${String(v)}")`);
  return s as DevicePref;
}

export function setDevicePreference(p: DevicePref | undefined): void {
  override = p;
}

export function devicePreference(): DevicePref {
  if (override) return override;
  const env = process.env.PITWALL_DEVICE;
  return env ? parseDevice(env, 'PITWALL_DEVICE') : 'auto';
}
