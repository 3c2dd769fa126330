/**
 * Preload: the only bridge between the sandboxed renderer and main. It
 * exposes exactly the IPC contract (`call` refuses any other channel and
 * the preload-only ones), the contract's events, and drop handling that
 * resolves a real File's path here so the renderer never names a path. It
 * also reports real user input as activity (the auto-lock's only clock).
 * Nothing else: no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNEL_PREFIX, CHANNELS, EVENTS, PRELOAD_ONLY_CHANNELS } from '../ipc/contract.js';
import { EVENT_PREFIX, type MedSealApi } from '../ipc/preload-api.js';

const channels = new Set<string>(CHANNELS.filter((channel) => !PRELOAD_ONLY_CHANNELS.includes(channel)));
const events = new Set<string>(Object.keys(EVENTS));
const refused = (code: string, category: 'usage' | 'invalid-input', message: string) =>
  Promise.resolve({ ok: false as const, error: { code, category, message } });

/** Real user input (isTrusted: made by the user, not by script) tells main the user is here, at most every 5 seconds. */
const ACTIVITY_EVERY_MS = 5_000;
let lastActivity = 0;
const reportActivity = (event: Event) => {
  if (!event.isTrusted || Date.now() - lastActivity < ACTIVITY_EVERY_MS) return;
  lastActivity = Date.now();
  void ipcRenderer.invoke(`${CHANNEL_PREFIX}session.activity`, {}).catch(() => {
    // Main is not answering (the window is closing, the app quitting): activity has no one to tell.
  });
};
for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart'])
  globalThis.addEventListener?.(type, reportActivity, { capture: true, passive: true });

const api: MedSealApi = {
  call: (channel, request) => {
    if (!channels.has(channel)) return refused('IPC_UNKNOWN_CHANNEL', 'usage', 'This action is not available.');
    return ipcRenderer.invoke(`${CHANNEL_PREFIX}${channel}`, request);
  },
  on: (event, listener) => {
    if (!events.has(event)) return () => undefined;
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as never);
    const name = `${EVENT_PREFIX}${event}`;
    ipcRenderer.on(name, wrapped);
    return () => ipcRenderer.removeListener(name, wrapped);
  },
  registerDroppedFile: (file) => {
    // Only a File the user dropped or picked has a path; one the page made itself has none.
    const path = webUtils.getPathForFile(file);
    if (!path)
      return refused(
        'FILE_REFUSED',
        'invalid-input',
        'Only files dropped on the window or chosen in MedSeal can be used.',
      );
    return ipcRenderer.invoke(`${CHANNEL_PREFIX}files.registerDropped`, { path });
  },
};

contextBridge.exposeInMainWorld('medseal', Object.freeze(api));
