import { PRODUCT_NAME } from '../paths';

/** The menu roles the application menu uses (a subset of Electron's MenuItem roles). */
export type MenuRole =
  | 'appMenu'
  | 'fileMenu'
  | 'editMenu'
  | 'viewMenu'
  | 'windowMenu'
  | 'help'
  | 'reload'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

/** The subset of Electron's MenuItemConstructorOptions used here. */
export interface MenuItemTemplate {
  role?: MenuRole;
  label?: string;
  type?: 'separator';
  click?: () => void;
  submenu?: MenuItemTemplate[];
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** DevTools (and their menu toggle) only in development, never in a packaged build. */
  devTools: boolean;
  onAbout: () => void;
}

/**
 * The application menu: the usual roles, with Electron's own View menu (which carries "Toggle
 * Developer Tools") only in development; a packaged build gets a View menu without it.
 */
export function menuTemplate(options: MenuOptions): MenuItemTemplate[] {
  const view: MenuItemTemplate = options.devTools
    ? { role: 'viewMenu' }
    : {
        label: 'View',
        submenu: [
          { role: 'reload' },
          { type: 'separator' },
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      };
  return [
    ...(options.platform === 'darwin' ? [{ role: 'appMenu' } satisfies MenuItemTemplate] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `About ${PRODUCT_NAME}`, click: options.onAbout }],
    },
  ];
}
