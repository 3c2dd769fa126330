// Installs the packaged app's runtime dependencies (app/package.json) into app/node_modules,
// with native modules (better-sqlite3) rebuilt for Electron's ABI by electron-builder.
// The root node_modules keeps its own copy built for Node, used by the CLI and the tests,
// so starting or packaging the app never breaks the tests, and the other way round.
// Where Electron cannot be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1, as in CI), its
// headers cannot be either: the app's copy is skipped; the tests do not need it.
import { spawnSync } from 'node:child_process';

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
  console.log('medseal: ELECTRON_SKIP_BINARY_DOWNLOAD=1, so app/node_modules (built for Electron) is not installed.');
  process.exit(0);
}
const result = spawnSync('npx', ['--no-install', 'electron-builder', 'install-app-deps'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
