// Electron main process: windows, menu, IPC routing. The engine runs in a utility process (engine-process.ts);
// this process only routes calls, so heavy work (training, simulation, SQLite) never freezes a window.
// Security: contextIsolation + sandbox, no nodeIntegration, strict CSP on the app:// scheme, no navigation,
// no new windows, no permissions; the preload exposes only the contract's named methods.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { API_METHODS } from '../../shared/api.js';
import { toIpcError } from '../../shared/rpc.js';
import { ARGS } from '../../shared/schemas/api.js';
import { deepLinkQuery, queryString } from './args.js';
import { electron as e, type BrowserWindow } from './electron.js';
import { createEngineClient, type EngineClient } from './engine-client.js';
import { SafeStorageSecretStore, secretEnv } from './secrets.js';
import { appMenu } from './menu.js';
import { ORIGIN, SCHEME } from './scheme.js';
import type { FromEngine, ToEngine } from './protocol.js';
import { loadWindowState, onScreen, saveWindowState, type WindowState, MIN } from './window-state.js';

const here = dirname(fileURLToPath(import.meta.url)); // out/main/app
const outDir = join(here, '..', '..'); // out/
const rendererDir = join(outDir, 'renderer');
const preload = join(outDir, 'preload', 'index.cjs');
// Stricter than the server's: the window talks to the engine over IPC only, so no network at all.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const { app, BrowserWindow, ipcMain, Menu, protocol, net, shell, session, utilityProcess, dialog, screen, safeStorage, nativeImage } =
  e;

/** "Share with the garage": the engine process starts the paired LAN server; the dialog shows the viewer code as a
 *  QR image and both links, and can end every pairing. */
async function shareWithGarage(): Promise<void> {
  engine ??= startEngine();
  try {
    const s = await engine.share();
    const { default: QRCode } = await import('qrcode');
    const icon = nativeImage.createFromDataURL(await QRCode.toDataURL(s.viewerPairUrl, { margin: 1, width: 256 }));
    const { response } = await dialog.showMessageBox({
      type: 'info',
      title: 'Share with the garage',
      message: 'Scan the code on a garage screen (same network) to watch this pit wall.',
      detail: [
        `Viewer link (timing, charts, commentary, recommendations): ${s.viewerPairUrl}`,
        `Engineer link (also promotions, imports, updates, settings, live control): ${s.engineerPairUrl}`,
        `Codes are valid until ${new Date(s.expiresAt).toLocaleTimeString()}; paired screens stay connected until revoked.`,
      ].join('\n\n'),
      icon,
      buttons: ['Done', 'Revoke every pairing'],
      defaultId: 0,
    });
    if (response === 1) engine.revokeShares();
  } catch (err) {
    dialog.showErrorBox('Share with the garage', err instanceof Error ? err.message : String(err));
  }
}

/** Stored secrets (safeStorage-encrypted) as the engine process's environment; never sent to a window. */
function secretsForEngine(): Record<string, string> {
  try {
    return secretEnv(new SafeStorageSecretStore(safeStorage, join(app.getPath('userData'), 'secrets.json')));
  } catch (err) {
    console.error(`PitWall: stored secrets could not be read (${err instanceof Error ? err.name : 'error'}); starting without them`);
    return {};
  }
}

// Packaged builds keep data/ and models/ outside the asar (electron-builder extraResources); the engine finds them via env.
const packagedEnv: Record<string, string> = {};
if (app.isPackaged) {
  const res = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath ?? '';
  packagedEnv.PITWALL_RESOURCES = join(res, 'resources');
  packagedEnv.PITWALL_MODELS = join(res, 'models');
}

const resources = packagedEnv.PITWALL_RESOURCES ?? join(outDir, '..', 'resources');

// A second `pitwall` start opens a window in the running app (with its deep link) instead of a second engine.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();

interface EngineChild {
  send(m: ToEngine): void;
  onMessage(fn: (m: FromEngine) => void): void;
  onExit(fn: (code: number) => void): void;
}
let engine: EngineClient | null = null;
const windows = new Map<number, BrowserWindow>(); // webContents id → window

/** The engine process: an Electron utility process when packaged; under the system Node in development
 * (`npm start` passes PITWALL_NODE), where native modules are built for Node rather than Electron. */
function forkEngine(): EngineChild {
  const entry = join(here, 'engine-process.js');
  const node = app.isPackaged ? undefined : process.env.PITWALL_NODE;
  if (node) {
    const c = fork(entry, [], {
      execPath: node,
      stdio: 'inherit',
      serialization: 'advanced',
      env: { ...process.env, ...secretsForEngine(), PITWALL_SECRET_STORE: 'app' },
    });
    return {
      send: (m) => void c.send(m),
      onMessage: (fn) => void c.on('message', (m) => fn(m as FromEngine)),
      onExit: (fn) => void c.on('exit', (code) => fn(code ?? 1)),
    };
  }
  const u = utilityProcess.fork(entry, [], {
    serviceName: 'PitWall engine',
    stdio: 'inherit',
    env: { ...process.env, ...packagedEnv, ...secretsForEngine(), PITWALL_SECRET_STORE: 'app' },
  });
  return {
    send: (m) => u.postMessage(m),
    onMessage: (fn) => u.on('message', (m) => fn(m as FromEngine)),
    onExit: (fn) => u.on('exit', fn),
  };
}

function startEngine(): EngineClient {
  const child = forkEngine();
  const client = createEngineClient(
    (m) => child.send(m),
    (window, name, payload) => {
      const w = windows.get(window);
      if (w && !w.isDestroyed() && !w.webContents.isDestroyed())
        w.webContents.send('pitwall:event', name, payload);
    },
  );
  child.onMessage((msg) => {
    if (msg.kind === 'fatal') dialog.showErrorBox('PitWall engine failed to start', msg.error);
    else client.receive(msg);
  });
  child.onExit((code) => {
    client.fail(`the engine process exited (code ${code})`);
    if (engine === client) engine = null;
  });
  return client;
}

/** The Settings dialog's token into the OS keychain store (the engine process never writes secrets here). */
function storeToken(args: unknown): void {
  const a = ARGS.liveSetToken.parse(args);
  const store = new SafeStorageSecretStore(safeStorage, join(app.getPath('userData'), 'secrets.json'));
  if (a.value.trim()) store.set(a.name, a.value.trim());
  else store.delete(a.name);
}

/** One named channel per contract method (`pitwall:<method>`), answered only for our own windows. */
function wireIpc(): void {
  for (const method of API_METHODS) {
    ipcMain.handle(`pitwall:${method}`, (event, args) => {
      if (!windows.has(event.sender.id) || !event.senderFrame?.url.startsWith(ORIGIN))
        throw new Error('PitWall: call from an unknown frame');
      engine ??= startEngine();
      if (method === 'liveSetToken') storeToken(args); // the keychain first; the engine then takes it into its environment
      return engine.call(event.sender.id, method, args).catch((e: unknown) => {
        throw toIpcError(e); // the typed error survives Electron's IPC (renderer/api/ipc.ts reads it)
      });
    });
  }
}

/** Serves out/renderer on app://pitwall/ under the strict CSP above (index.html for unknown paths). */
function serveRenderer(): void {
  protocol.handle(SCHEME, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    let file = normalize(join(rendererDir, path));
    if (!file.startsWith(rendererDir + sep)) return new Response('forbidden', { status: 403 });
    if (path === '/' || !existsSync(file)) file = join(rendererDir, 'index.html');
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', CSP);
    return new Response(res.body, { status: res.status, headers });
  });
}

function createWindow(query: Record<string, string>): void {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state: WindowState = onScreen(
    loadWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const icon = join(resources, 'icons', 'icon.png');
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    x: state.x,
    y: state.y,
    minWidth: MIN.width,
    minHeight: MIN.height,
    show: false,
    title: 'PitWall',
    icon: existsSync(icon) ? icon : undefined,
    backgroundColor: '#0d1017',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const id = win.webContents.id;
  windows.set(id, win);
  if (state.maximized) win.maximize();

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (win.isDestroyed()) return;
      saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    }, 300);
  };
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(ev, save);
  win.on('close', () => {
    clearTimeout(saveTimer);
    saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
  });
  win.on('closed', () => {
    windows.delete(id);
    engine?.closeWindow(id);
  });

  // No navigation away from the app, no popups; external links open in the system browser.
  win.webContents.on('will-navigate', (ev, url) => {
    if (!url.startsWith(ORIGIN)) ev.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${ORIGIN}/index.html${queryString(query)}`);
}

app.on('second-instance', (_ev, argv) => createWindow(deepLinkQuery(argv)));
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) createWindow({});
});

if (primary) {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenu(e, { sources: join(resources, 'data', 'SOURCES.md') }, { share: () => void shareWithGarage() })),
  );
  serveRenderer();
  wireIpc();
  engine = startEngine();
  createWindow(deepLinkQuery(process.argv.slice(1)));
}
