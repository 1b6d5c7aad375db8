// The merged timing state: each update deep-merges into its topic. Rules (as F1's feed and FastF1 apply them):
// objects merge key by key; an object whose keys are index strings ("0", "1", …) updates a list's elements; `_kf`
// (keyframe marker) is dropped; `_deleted: [keys]` removes keys; anything else replaces.
type Json = unknown;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const INDEX = /^\d+$/;

/** Merges `update` into `target`, returning the result (`target` is mutated where it is an object or list). */
export function mergeUpdate(target: Json, update: Json): Json {
  if (!isObj(update)) return Array.isArray(update) ? update.map((x) => mergeUpdate(undefined, x)) : update;
  const deleted = Array.isArray(update._deleted) ? (update._deleted as unknown[]).map(String) : [];
  if (Array.isArray(target)) {
    const keys = Object.keys(update).filter((k) => k !== '_kf' && k !== '_deleted');
    if (keys.every((k) => INDEX.test(k))) {
      for (const k of keys) target[Number(k)] = mergeUpdate(target[Number(k)], update[k]);
      for (const k of deleted.filter((d) => INDEX.test(d)).map(Number).sort((a, b) => b - a)) target.splice(k, 1);
      return target;
    }
    target = Object.fromEntries(target.map((x, i) => [String(i), x]));
  }
  const out = isObj(target) ? target : {};
  for (const [k, v] of Object.entries(update)) {
    if (k === '_kf' || k === '_deleted') continue;
    out[k] = mergeUpdate(out[k], v);
  }
  for (const k of deleted) delete out[k];
  return out;
}

/** Topic → merged state. One instance per session; `apply` takes archive lines and live messages alike. */
export class TimingState {
  readonly topics: Record<string, Json> = {};
  apply(topic: string, data: Json): void {
    const t = topic.endsWith('.z') ? topic.slice(0, -2) : topic;
    this.topics[t] = mergeUpdate(this.topics[t], data);
  }
  get<T = Json>(topic: string): T | undefined {
    return this.topics[topic] as T | undefined;
  }
}
