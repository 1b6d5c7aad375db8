// The part of Electron's API the shell uses, typed locally: `electron` is an optional dependency (its binary is
// downloaded at install time, impossible offline), so the shell must type-check without the package.
// Only src/main/app imports it, and only through this module.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment -- the package is optional; without it there are no types
// @ts-ignore: electron may be absent (offline install); ElectronMain below describes what is used
import * as electronModule from 'electron';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WebContents {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): void;
}

export interface BrowserWindowOptions {
  width: number;
  height: number;
  x?: number;
  y?: number;
  minWidth?: number;
  minHeight?: number;
  show?: boolean;
  title?: string;
  icon?: string;
  backgroundColor?: string;
  autoHideMenuBar?: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    webSecurity: true;
    spellcheck?: boolean;
  };
}

export interface BrowserWindow {
  id: number;
  webContents: WebContents;
  on(event: 'resize' | 'move' | 'close' | 'closed' | 'maximize' | 'unmaximize', listener: () => void): void;
  once(event: 'ready-to-show', listener: () => void): void;
  show(): void;
  maximize(): void;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rect;
  loadURL(url: string): Promise<void>;
}

export interface IpcMainInvokeEvent {
  sender: WebContents;
  senderFrame: { url: string } | null;
}

export interface MenuItemOptions {
  label?: string;
  role?: string;
  type?: 'separator' | 'normal';
  accelerator?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemOptions[];
}

export interface UtilityProcess {
  pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  kill(): boolean;
}

export interface ElectronMain {
  app: {
    isPackaged: boolean;
    name: string;
    whenReady(): Promise<void>;
    on(event: 'window-all-closed' | 'before-quit' | 'activate', listener: () => void): void;
    on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): void;
    quit(): void;
    getPath(name: 'userData'): string;
    getVersion(): string;
    requestSingleInstanceLock(): boolean;
    setAboutPanelOptions?(opts: Record<string, string>): void;
  };
  BrowserWindow: {
    new (opts: BrowserWindowOptions): BrowserWindow;
    getAllWindows(): BrowserWindow[];
    fromWebContents(wc: WebContents): BrowserWindow | null;
  };
  ipcMain: {
    handle(channel: string, handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  };
  Menu: {
    buildFromTemplate(template: MenuItemOptions[]): unknown;
    setApplicationMenu(menu: unknown): void;
  };
  utilityProcess: {
    fork(
      modulePath: string,
      args?: string[],
      options?: {
        env?: Record<string, string | undefined>;
        serviceName?: string;
        stdio?: 'inherit' | 'pipe' | 'ignore';
      },
    ): UtilityProcess;
  };
  protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  net: { fetch(url: string): Promise<Response> };
  shell: { openExternal(url: string): Promise<void>; openPath(path: string): Promise<string> };
  session: {
    defaultSession: {
      setPermissionRequestHandler(
        handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
      ): void;
    };
  };
  dialog: {
    showErrorBox(title: string, content: string): void;
    showMessageBox(opts: {
      type?: 'info';
      title: string;
      message: string;
      detail?: string;
      icon?: unknown;
      buttons: string[];
      defaultId?: number;
    }): Promise<{ response: number }>;
  };
  nativeImage: { createFromDataURL(url: string): unknown };
  safeStorage: { isEncryptionAvailable(): boolean; encryptString(plain: string): Buffer; decryptString(encrypted: Buffer): string };
  screen: { getAllDisplays(): { workArea: Rect }[] };
}

/** Electron, typed by the interface above. A static import: in an ESM main process only the entry's imports
 * run before `ready`, and some calls (registerSchemesAsPrivileged) must precede it. */
export const electron = electronModule as unknown as ElectronMain;
