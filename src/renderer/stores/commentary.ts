// Commentary feed: lines pushed by the engine (deduplicated, newest first) and the chosen style.
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { CommentaryLine, CommentaryStyle } from '../../shared/domain.js';
import { errorText } from './schedule.js';

export const STYLES: CommentaryStyle[] = ['technical', 'casual', 'dramatic'];
const MAX_LINES = 100;
/** The engine's default style for a new session (commentary/session.ts). */
export const DEFAULT_STYLE: CommentaryStyle = 'casual';
const STYLE_KEY = 'pitwall.commentaryStyle';

/** Where the chosen style survives a reload (the browser's or the desktop window's local storage). */
export interface StylePrefs {
  load(): CommentaryStyle | null;
  save(style: CommentaryStyle): void;
}
export const localStylePrefs: StylePrefs = {
  load() {
    try {
      const v = globalThis.localStorage?.getItem(STYLE_KEY);
      return STYLES.includes(v as CommentaryStyle) ? (v as CommentaryStyle) : null;
    } catch {
      return null; // storage disabled: the engine's default
    }
  },
  save(style) {
    try {
      globalThis.localStorage?.setItem(STYLE_KEY, style);
    } catch {
      // storage disabled: the choice lasts this session only
    }
  },
};

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
  /** Tells a new engine session the style chosen before (a reload, a new window); call before opening a race. */
  restore(): Promise<void>;
}

export function createCommentaryStore(api: PitwallClient, prefs: StylePrefs = localStylePrefs) {
  return createStore<CommentaryState>()((set, get) => ({
    lines: [],
    style: prefs.load() ?? DEFAULT_STYLE,
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
      // the choice is kept at once (a reload during a slow call keeps it), and taken back if the engine refuses it
      set({ style });
      prefs.save(style);
      try {
        await api.commentarySetStyle({ style });
        set({ error: null });
      } catch (e) {
        prefs.save(prev);
        set({ style: prev, error: errorText(e) });
      }
    },
    async restore() {
      const style = get().style;
      if (style !== DEFAULT_STYLE) await get().setStyle(style);
    },
  }));
}
export type CommentaryStore = ReturnType<typeof createCommentaryStore>;
