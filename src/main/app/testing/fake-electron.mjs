/* global Response */
// A stand-in for the `electron` module (the subset src/main/app uses), recording what the shell does, so the
// built shell can be smoke-tested under plain Node. State is on globalThis.__electron.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const rec = {
  schemes: [],
  protocols: {},
  handlers: {},
  windows: [],
  menu: null,
  permissionHandler: null,
  ready: null,
};
globalThis.__electron = rec;
let nextId = 1;

export const app = {
  isPackaged: false,
  name: 'PitWall',
  whenReady: () => Promise.resolve(),
  on: () => {},
  quit: () => {},
  getPath: () => process.env.FAKE_USER_DATA,
  getVersion: () => '0.0.0',
  requestSingleInstanceLock: () => true,
};
export class BrowserWindow {
  constructor(opts) {
    this.opts = opts;
    this.id = nextId++;
    this.sent = [];
    this.url = null;
    this.webContents = {
      id: this.id,
      send: (channel, ...args) => this.sent.push([channel, ...args]),
      isDestroyed: () => false,
      setWindowOpenHandler: (h) => (this.openHandler = h),
      on: (ev, fn) => (this['on_' + ev] = fn),
    };
    rec.windows.push(this);
  }
  static getAllWindows = () => rec.windows;
  static fromWebContents = () => null;
  on() {}
  once() {}
  show() {}
  maximize() {}
  isMaximized = () => false;
  isDestroyed = () => false;
  getNormalBounds = () => ({ x: 0, y: 0, width: this.opts.width, height: this.opts.height });
  loadURL(url) {
    this.url = url;
    return Promise.resolve();
  }
}
export const ipcMain = { handle: (channel, fn) => (rec.handlers[channel] = fn) };
export const Menu = { buildFromTemplate: (t) => t, setApplicationMenu: (m) => (rec.menu = m) };
export const utilityProcess = {
  fork: () => {
    throw new Error('utilityProcess is not used in development (PITWALL_NODE)');
  },
};
export const protocol = {
  registerSchemesAsPrivileged: (s) => rec.schemes.push(...s),
  handle: (scheme, fn) => (rec.protocols[scheme] = fn),
};
export const net = { fetch: async (url) => new Response(await readFile(fileURLToPath(url))) };
export const shell = { openExternal: async () => {}, openPath: async () => '' };
export const session = {
  defaultSession: { setPermissionRequestHandler: (h) => (rec.permissionHandler = h) },
};
export const dialog = {
  showErrorBox: (t, c) => {
    throw new Error(`${t}: ${c}`);
  },
  showMessageBox: async (opts) => {
    rec.messageBoxes = [...(rec.messageBoxes ?? []), opts];
    return { response: 0 };
  },
};
export const nativeImage = { createFromDataURL: (url) => ({ dataUrl: url }) };
// A stand-in for the OS keychain: reversible, and visibly not plain text.
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from('enc:' + Buffer.from(s).toString('hex')),
  decryptString: (b) => Buffer.from(b.toString().slice(4), 'hex').toString(),
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
