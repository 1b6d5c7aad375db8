import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, loadWindowState, onScreen, saveWindowState } from './window-state.js';

describe('window state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-win-'));
  it('round-trips, and falls back to the default on a missing or corrupt file', () => {
    const f = join(dir, 'a', 'window-state.json');
    expect(loadWindowState(f)).toEqual(DEFAULT_STATE);
    saveWindowState(f, { width: 1500, height: 900, x: 10, y: 20, maximized: true });
    expect(loadWindowState(f)).toEqual({ width: 1500, height: 900, x: 10, y: 20, maximized: true });
    writeFileSync(f, '{"width": 1500, "hei');
    expect(loadWindowState(f)).toEqual(DEFAULT_STATE);
  });
  it('enforces the minimum size and drops positions off every display', () => {
    const f = join(dir, 'b.json');
    saveWindowState(f, { width: 300, height: 200, x: 5000, y: 0, maximized: false });
    expect(JSON.parse(readFileSync(f, 'utf8')).width).toBe(300);
    const s = loadWindowState(f);
    expect(s).toMatchObject({ width: 1024, height: 640 });
    expect(onScreen(s, [{ x: 0, y: 0, width: 1920, height: 1080 }])).toEqual({
      width: 1024,
      height: 640,
      maximized: false,
    });
    expect(onScreen({ ...s, x: 1900 - 1024, y: 0 }, [{ x: 0, y: 0, width: 1920, height: 1080 }]).x).toBe(876);
  });
});
