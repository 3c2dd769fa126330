/**
 * The app binary's first import (electron-main.ts): for `MedSeal --cli` with
 * an unlocking command, readies the Argon2id worker before the rest loads
 * (cli/early-start.ts). The desktop app (no --cli) readies nothing: its
 * unlock may come much later, and the worker would hold its memory until.
 */
import { readyArgon2idFor } from '../cli/early-start.js';
import { cliArgumentsOf } from '../shell/cli-mode.js';

const cli = cliArgumentsOf(process.argv);
if (cli) readyArgon2idFor(cli);
