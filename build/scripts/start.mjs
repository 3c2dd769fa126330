// `npm start`: starts the built app on Electron. The first start downloads the Electron binary
// (as the electron package itself would); where that is turned off (ELECTRON_SKIP_BINARY_DOWNLOAD=1)
// or fails (no access to GitHub releases), it says so and how to get it, without a stack trace: the
// download's own output is kept and shown only with MEDSEAL_DEBUG=1.
// MEDSEAL_ELECTRON_PACKAGE names another electron package folder (test/build/start-script.test.ts).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const electronPackage =
  process.env.MEDSEAL_ELECTRON_PACKAGE ?? dirname(createRequire(import.meta.url).resolve('electron/package.json'));
let binary = findElectronBinary(electronPackage);
if (!binary.found && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1' && !process.env.MEDSEAL_ELECTRON_BINARY) {
  console.log('medseal: downloading Electron (first start only)…');
  const download = spawnSync(process.execPath, [join(electronPackage, 'install.js')], { encoding: 'utf8' });
  binary = findElectronBinary(electronPackage);
  if (!binary.found) {
    // install.js ends with the error's stack: its first line says what failed ("TypeError: fetch failed").
    const said = `${download.stderr ?? ''}`.split('\n').find((line) => line.trim() && !/^\s+at /.test(line));
    binary = {
      found: false,
      reason: `the Electron binary could not be downloaded (${said?.trim() ?? `exit code ${download.status}`}; is github.com reachable?)`,
    };
    if (process.env.MEDSEAL_DEBUG === '1') process.stderr.write(`${download.stdout}${download.stderr}`);
  }
}
if (!binary.found) {
  console.error(`medseal: cannot start the desktop app: ${binary.reason}.`);
  console.error(
    'Get Electron (needs access to github.com): node node_modules/electron/install.js, then npm start again.',
  );
  console.error('Without it, the command-line tool works: node dist/cli/medseal.cjs --help');
  process.exit(1);
}
const app = spawn(binary.path, [join(root, 'app'), ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
