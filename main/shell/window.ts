/**
 * The one app window and the rules every web contents obeys (docs/SECURITY.md,
 * "The desktop app"): isolated, sandboxed, no Node; no navigation, no new
 * windows, no webviews, no permissions; DevTools only in development.
 */
import { BrowserWindow, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from './app-protocol.js';

/** The only external sites a link may open, in the system browser. */
export const EXTERNAL_ALLOWLIST = new Set(['medseal.example', 'www.medseal.example']);

export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      EXTERNAL_ALLOWLIST.has(parsed.hostname) &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch (error) {
    if (error instanceof TypeError) return false; // not a URL at all (new URL throws TypeError): never opened
    throw error;
  }
}

/** Applied to every web contents the app ever creates. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // electronegativity-exempt: OPEN_EXTERNAL_JS_CHECK — only https links to allow-listed hosts (isAllowedExternal)
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function createMainWindow(distFolder: string, development: boolean): BrowserWindow {
  // The options are written out here, literally, so that reviewers and electronegativity see them.
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'MedSeal',
    show: false,
    webPreferences: {
      // electronegativity-exempt: PRELOAD_JS_CHECK — our own bundled preload, exposing only the typed contract
      preload: join(distFolder, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: development,
    },
  });
  window.on('page-title-updated', (event) => event.preventDefault()); // the title never shows file names or notes
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
