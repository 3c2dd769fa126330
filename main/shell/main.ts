/** Electron main-process entry (bundled to app/dist/main.cjs). */
import { startShell } from './start.js';

startShell(__dirname);
