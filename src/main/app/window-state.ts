// Remembered window size and position (userData/window-state.json), kept on screen and above a minimum size.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_STATE: WindowState = { width: 1366, height: 768, maximized: false };
export const MIN = { width: 1024, height: 640 };

export function loadWindowState(file: string): WindowState {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    const num = (v: unknown): number | undefined =>
      typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined;
    const width = Math.max(MIN.width, num(raw.width) ?? DEFAULT_STATE.width);
    const height = Math.max(MIN.height, num(raw.height) ?? DEFAULT_STATE.height);
    return { width, height, x: num(raw.x), y: num(raw.y), maximized: raw.maximized === true };
  } catch {
    return { ...DEFAULT_STATE };
  }
}

/** Atomic write (temp file + rename): a crash never leaves a half-written state file. */
export function saveWindowState(file: string, s: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(s));
  renameSync(`${file}.tmp`, file);
}

/** Drops a saved position that no longer lies (mostly) on any display, e.g. after unplugging a monitor. */
export function onScreen(
  s: WindowState,
  workAreas: { x: number; y: number; width: number; height: number }[],
): WindowState {
  if (s.x === undefined || s.y === undefined) return s;
  const { x, y } = s;
  const visible = workAreas.some(
    (a) => x + 100 > a.x && y + 40 > a.y && x + 100 < a.x + a.width && y < a.y + a.height - 40,
  );
  return visible ? s : { width: s.width, height: s.height, maximized: s.maximized };
}
