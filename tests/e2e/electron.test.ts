// The desktop app through Playwright's Electron driver. Electron is an optional dependency whose binary is
// downloaded at install time; where it is not installed this suite is skipped, saying so.
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron } from 'playwright-core';
import { dbCopy } from '../helpers/db.js';
import { PROJECT_ROOT } from '../helpers/data.js';
import { ARTIFACTS } from './harness.js';

function electronBinary(): string | null {
  try {
    // The electron package's main export is the path of its binary.
    const path = createRequire(join(PROJECT_ROOT, 'package.json'))('electron') as unknown;
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}
const binary = electronBinary();
if (!binary)
  console.warn(
    '[e2e] electron is not installed (optional dependency; its download needs internet): the Electron end-to-end test is skipped',
  );

describe.skipIf(!binary)('PitWall desktop app (Electron)', () => {
  it('start-up arguments open 2023 Bahrain at 100× in a sandboxed window backed by the IPC bridge', async () => {
    const { db, file } = dbCopy();
    db.close();
    const app = await _electron.launch({
      executablePath: binary!,
      args: [
        join(PROJECT_ROOT, 'out', 'main', 'app', 'main.js'),
        '--season=2023',
        '--round=1',
        '--speed=100',
        '--play',
      ],
      env: {
        ...process.env,
        PITWALL_DB: file,
        PITWALL_NODE: process.execPath,
        PITWALL_HOME: mkdtempSync(join(tmpdir(), 'pitwall-home-')),
      },
    });
    try {
      const page = await app.firstWindow();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
      await expect.poll(() => page.getByTestId('timing-row').count(), { timeout: 10_000 }).toBe(20);
      // The renderer reached the engine over IPC, not a WebSocket, and has no Node.
      expect(await page.evaluate(() => typeof (globalThis as { pitwall?: unknown }).pitwall)).toBe('object');
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      await page.screenshot({ path: join(ARTIFACTS, 'electron-race-view.png') });
      expect(errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
