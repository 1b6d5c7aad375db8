// The model kinds, listed here (not discovered): each a module exporting `kind`, loaded on first use.
import type { ModelKind } from '../kind.js';

const KINDS: Record<string, () => Promise<{ kind: ModelKind }>> = {
  'lap-time': () => import('./lap-time.js'),
  'race-winner': () => import('./race-winner.js'),
  'tyre-deg': () => import('./tyre-deg.js'),
  'win-probability': () => import('./win-probability.js'),
};

export const KIND_NAMES = Object.keys(KINDS).sort();

export async function loadKinds(): Promise<Map<string, ModelKind>> {
  const mods = await Promise.all(KIND_NAMES.map((n) => KINDS[n]!()));
  return new Map(mods.map((m) => [m.kind.name, m.kind]));
}

export async function getKind(name: string): Promise<ModelKind> {
  const load = Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
  if (!load) throw new Error(`unknown model kind "${name}" (known: ${KIND_NAMES.join(', ')})`);
  return (await load()).kind;
}
