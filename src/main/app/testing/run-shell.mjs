/* global Request */
// Runs the built Electron shell (out/main/app/main.js) under plain Node with fake-electron.mjs standing in for
// `electron`, then drives it like a window would and prints one JSON report. Used by shell.test.ts.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const fake = new URL('./fake-electron.mjs', import.meta.url).href;
register(
  'data:text/javascript,' +
    encodeURIComponent(
      `export async function resolve(s, c, n) { return s === 'electron' ? { url: ${JSON.stringify(fake)}, shortCircuit: true } : n(s, c); }`,
    ),
);
await import(pathToFileURL(join(process.env.PITWALL_ROOT, 'out', 'main', 'app', 'main.js')).href);
const rec = globalThis.__electron;
const win = rec.windows[0];
const frame = { sender: win.webContents, senderFrame: { url: 'app://pitwall/index.html' } };
const races = await rec.handlers['pitwall:listRaces'](frame, { season: 2023 });
let foreign = null;
try {
  await rec.handlers['pitwall:health'](
    { sender: { id: 999 }, senderFrame: { url: 'https://evil.example/' } },
    undefined,
  );
} catch (e) {
  foreign = String(e.message);
}
await rec.handlers['pitwall:replayOpen'](frame, { season: 2023, round: 1 });
await new Promise((r) => setTimeout(r, 200));
const page = await rec.protocols.app(new Request('app://pitwall/index.html?season=2023'));
const body = await page.text();
const traversal = await rec.protocols.app(new Request('app://pitwall/..%2f..%2fpackage.json'));
let badArgs = null;
try {
  await rec.handlers['pitwall:listRaces'](frame, null);
} catch (e) {
  badArgs = String(e.message);
}
const navigate = (url) => {
  let prevented = false;
  win['on_will-navigate']({ preventDefault: () => (prevented = true) }, url);
  return prevented;
};
let permission = null;
rec.permissionHandler(null, 'geolocation', (ok) => (permission = ok));
console.log(
  JSON.stringify({
    url: win.url,
    webPreferences: {
      ...win.opts.webPreferences,
      preload: win.opts.webPreferences.preload.endsWith('out/preload/index.cjs'),
    },
    schemes: rec.schemes,
    channels: Object.keys(rec.handlers).sort(),
    races: races.length,
    firstRace: races[0]?.name,
    foreign,
    pushed: [...new Set(win.sent.map((s) => `${s[0]} ${s[1]}`))],
    csp: page.headers.get('content-security-policy'),
    servesRoot: body.includes('<div id="root">'),
    traversal: { status: traversal.status, leaks: (await traversal.text()).includes('"name"') },
    permission,
    menu: rec.menu?.map((m) => m.label ?? m.role),
    popup: win.openHandler({ url: 'https://example.com' }),
    navigationBlocked: { away: navigate('https://evil.example/'), inside: navigate('app://pitwall/index.html') },
    badArgs,
  }),
);
process.exit(0);
