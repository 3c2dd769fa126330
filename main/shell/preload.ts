/**
 * Preload: the only bridge between the sandboxed renderer and the main
 * process. For now it exposes the app version; the typed IPC contract of
 * the shell issue will be exposed here and nowhere else.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('medseal', Object.freeze({ product: 'MedSeal' }));
