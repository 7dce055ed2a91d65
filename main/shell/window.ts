import { PRODUCT_NAME } from '../paths';

/** The web preferences Custodian's window runs with: Electron's security checklist in full. */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  disableBlinkFeatures: 'Auxclick';
  webviewTag: false;
  plugins: false;
  enableWebSQL: false;
  webgl: false;
  spellcheck: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  devTools: boolean;
}

/** The subset of BrowserWindowConstructorOptions the main window sets. */
export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  title: string;
  backgroundColor: string;
  webPreferences: SecureWebPreferences;
}

export interface MainWindowConfig {
  /** Absolute path of the bundled preload (dist/main/preload.cjs). */
  preloadPath: string;
  /** DevTools are available in development only, never in a packaged build. */
  devTools: boolean;
}

/** Anything constructible like Electron's BrowserWindow (the real one, or a test's recorder). */
export type WindowConstructor<W> = new (options: MainWindowOptions) => W;

/**
 * Creates the main window with Electron's BrowserWindow, passed in by main/electron/main.ts so that
 * this module stays free of Electron and testable in Node.
 *
 * The options are written as one literal inside the `new BrowserWindow(...)` call on purpose:
 * that is where electronegativity (scripts/electronegativity.mjs) looks for them, so every one of
 * these settings is checked by the scanner as well as by test/unit/shell.test.ts.
 */
export function createMainWindow<W>(
  BrowserWindow: WindowConstructor<W>,
  config: MainWindowConfig,
): W {
  return new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false, // shown on 'ready-to-show', without a white flash
    title: PRODUCT_NAME,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: config.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      plugins: false,
      enableWebSQL: false,
      webgl: false,
      spellcheck: false, // the OS spellchecker would see customer data typed into fields
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: config.devTools,
    },
  });
}

/** Records the options it was constructed with; used to read the options without Electron. */
class OptionsRecorder {
  constructor(readonly options: MainWindowOptions) {}
}

/** The main window's options, exactly as createMainWindow passes them to BrowserWindow. */
export function mainWindowOptions(config: MainWindowConfig): MainWindowOptions {
  return createMainWindow(OptionsRecorder, config).options;
}

/** The main window's web preferences for a given preload (DevTools off unless asked for). */
export function webPreferencesFor(preloadPath: string, devTools = false): SecureWebPreferences {
  return mainWindowOptions({ preloadPath, devTools }).webPreferences;
}
