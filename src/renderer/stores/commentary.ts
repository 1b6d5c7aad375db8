// Commentary feed: lines pushed by the engine (deduplicated, newest first) and the chosen style.
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { CommentaryLine, CommentaryStyle } from '../../shared/domain.js';
import { errorText } from './schedule.js';

export const STYLES: CommentaryStyle[] = ['technical', 'casual', 'dramatic'];
const MAX_LINES = 100;

export interface CommentaryState {
  lines: CommentaryLine[];
  style: CommentaryStyle;
  error: string | null;
  load(): Promise<void>;
  clear(): void;
  /** After seeking back: drop lines about laps that have not happened yet. */
  pruneAfter(lap: number): void;
  add(lines: CommentaryLine[]): void;
  setStyle(style: CommentaryStyle): Promise<void>;
}

export function createCommentaryStore(api: PitwallClient) {
  return createStore<CommentaryState>()((set, get) => ({
    lines: [],
    style: 'technical',
    error: null,
    async load() {
      try {
        get().add(await api.commentarySince({}));
        set({ error: null });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    clear() {
      set({ lines: [] });
    },
    pruneAfter(lap) {
      const kept = get().lines.filter((l) => l.lap <= lap);
      if (kept.length !== get().lines.length) set({ lines: kept });
    },
    add(incoming) {
      if (incoming.length === 0) return;
      const seen = new Set(get().lines.map((l) => l.id));
      const fresh = incoming.filter((l) => !seen.has(l.id));
      if (fresh.length === 0) return;
      // Newest first: lines arrive in race order, so the feed is arrival order reversed.
      set({ lines: [...fresh.reverse(), ...get().lines].slice(0, MAX_LINES) });
    },
    async setStyle(style) {
      const prev = get().style;
      set({ style });
      try {
        await api.commentarySetStyle({ style });
        set({ error: null });
      } catch (e) {
        set({ style: prev, error: errorText(e) });
      }
    },
  }));
}
export type CommentaryStore = ReturnType<typeof createCommentaryStore>;
