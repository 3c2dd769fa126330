// Finds the Electron binary that `npm install` downloaded, without requiring the `electron`
// package: its index.js starts a download when the binary is missing, which on a machine without
// GitHub access only hangs or fails with a stack trace. Used by `npm start` and `npm run smoke`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `packageFolder` is node_modules/electron; MEDSEAL_ELECTRON_BINARY names a binary explicitly. */
export function findElectronBinary(packageFolder, env = process.env) {
  const explicit = env.MEDSEAL_ELECTRON_BINARY;
  if (explicit) {
    return existsSync(explicit)
      ? { found: true, path: explicit }
      : { found: false, reason: `MEDSEAL_ELECTRON_BINARY names ${explicit}, which does not exist` };
  }
  const pathFile = join(packageFolder, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      found: false,
      reason:
        'the Electron binary was never downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or GitHub releases could not be reached): node_modules/electron/path.txt is missing',
    };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : join(packageFolder, 'dist', relative);
  return existsSync(binary)
    ? { found: true, path: binary }
    : {
        found: false,
        reason: `the Electron binary ${binary} is missing: delete node_modules/electron and run npm install with access to GitHub releases`,
      };
}
