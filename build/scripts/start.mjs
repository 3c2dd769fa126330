// `npm start`: starts the built app on Electron. The first start downloads the Electron binary
// (as the electron package itself would); where that is turned off (ELECTRON_SKIP_BINARY_DOWNLOAD=1)
// or fails (no access to GitHub releases), it says so and how to get it, without a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const electronPackage = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
let binary = findElectronBinary(electronPackage);
if (!binary.found && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1' && !process.env.MEDSEAL_ELECTRON_BINARY) {
  console.log('medseal: downloading Electron (first start only)…');
  spawnSync(process.execPath, [join(electronPackage, 'install.js')], { stdio: 'inherit' });
  binary = findElectronBinary(electronPackage);
}
if (!binary.found) {
  console.error(`medseal: cannot start the desktop app: ${binary.reason}.`);
  console.error(
    'Get Electron (needs access to github.com): node node_modules/electron/install.js, then npm start again.',
  );
  console.error('Without it, the command-line tool works: npx medseal --help');
  process.exit(1);
}
const app = spawn(binary.path, [join(root, 'app'), ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
