/**
 * Preload: the only bridge between the sandboxed renderer and main. It
 * exposes exactly the IPC contract (`call` refuses any other channel), the
 * contract's events, and drop handling that resolves a File's path here so
 * the renderer never handles paths. Nothing else: no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNEL_PREFIX, CHANNELS, EVENTS, type Channel, type EventName } from '../ipc/contract.js';
import { EVENT_PREFIX, type MedSealApi } from '../ipc/preload-api.js';

const channels = new Set<string>(CHANNELS);
const events = new Set<string>(Object.keys(EVENTS));

const api: MedSealApi = {
  call: (channel, request) => {
    if (!channels.has(channel)) return Promise.resolve({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL', category: 'usage', message: 'This action is not available.' } });
    return ipcRenderer.invoke(`${CHANNEL_PREFIX}${channel as Channel}`, request);
  },
  on: (event, listener) => {
    if (!events.has(event)) return () => undefined;
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as never);
    const name = `${EVENT_PREFIX}${event as EventName}`;
    ipcRenderer.on(name, wrapped);
    return () => ipcRenderer.removeListener(name, wrapped);
  },
  registerDroppedFile: (file) => ipcRenderer.invoke(`${CHANNEL_PREFIX}files.registerDropped`, { path: webUtils.getPathForFile(file) }),
};

contextBridge.exposeInMainWorld('medseal', Object.freeze(api));
