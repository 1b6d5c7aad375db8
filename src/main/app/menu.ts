// Application menu: standard roles plus PitWall's help entries.
import type { ElectronMain, MenuItemOptions } from './electron.js';

export function appMenu(e: ElectronMain, files: { sources: string }, actions: { share?: () => void } = {}): MenuItemOptions[] {
  const mac = process.platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' }] : []),
    {
      label: 'File',
      submenu: [
        ...(actions.share ? [{ label: 'Share with the garage…', click: actions.share }, { type: 'separator' } as MenuItemOptions] : []),
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Data sources and licences', click: () => void e.shell.openPath(files.sources) },
        ...(mac ? [] : [{ role: 'about' }]),
      ],
    },
  ];
}
