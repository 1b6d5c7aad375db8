// Coalesces bursts of pushes into one store update per animation frame (no re-render per WebSocket message).
export type Scheduler = (fn: () => void) => void;

export const frameScheduler: Scheduler = (fn) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => fn());
  else setTimeout(fn, 16);
};

/** Keeps only the latest value and applies it on the next frame. */
export function latestPerFrame<T>(
  apply: (v: T) => void,
  schedule: Scheduler = frameScheduler,
): (v: T) => void {
  let latest: { v: T } | null = null;
  return (v: T) => {
    const queued = latest !== null;
    latest = { v };
    if (queued) return;
    schedule(() => {
      const l = latest;
      latest = null;
      if (l) apply(l.v);
    });
  };
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
