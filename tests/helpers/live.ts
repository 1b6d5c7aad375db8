// Running a live source in tests: collect its events, and merge them the way a consumer does (an `initial` replaces
// the state, updates merge into it).
import type { LiveEvent, LiveSource } from '../../src/main/live/feed.js';
import { TimingState } from '../../src/main/timing/state.js';

export async function collect(source: LiveSource, opts: { signal?: AbortSignal; until?: (e: LiveEvent[]) => boolean } = {}): Promise<LiveEvent[]> {
  const events: LiveEvent[] = [];
  const ac = new AbortController();
  opts.signal?.addEventListener('abort', () => ac.abort(), { once: true });
  await source.run((e) => {
    events.push(e);
    if (opts.until?.(events)) ac.abort();
  }, ac.signal);
  return events;
}

export function mergeEvents(events: LiveEvent[]): TimingState {
  let s = new TimingState();
  for (const e of events) {
    if (e.kind === 'initial') {
      s = new TimingState();
      for (const [t, v] of Object.entries(e.state)) s.apply(t, structuredClone(v));
    } else if (e.kind === 'message') s.apply(e.message.topic, structuredClone(e.message.data));
  }
  return s;
}

export const messagesOf = (events: LiveEvent[]) => events.flatMap((e) => (e.kind === 'message' ? [e.message] : []));
