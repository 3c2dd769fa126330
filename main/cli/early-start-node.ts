/**
 * The Node CLI's first import (cli/medseal.ts): readies the Argon2id worker
 * for an unlocking command before the rest of the CLI loads (early-start.ts).
 */
import { readyArgon2idFor } from './early-start.js';

readyArgon2idFor(process.argv.slice(2));
