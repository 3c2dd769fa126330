// Installs the packaged app's runtime dependencies (app/package.json) into app/node_modules,
// with native modules (better-sqlite3) rebuilt for Electron's ABI by electron-builder.
// The root node_modules keeps its own copy built for Node, used by the CLI and the tests,
// so starting or packaging the app never breaks the tests, and the other way round.
// Skipped where it is not wanted:
// - ELECTRON_SKIP_BINARY_DOWNLOAD=1 (as in CI): Electron's headers cannot be downloaded
//   either, and the tests do not need the app's copy;
// - `npm link` (npm runs postinstall for it too): it only puts the `medseal` command on the
//   PATH, and must neither download Electron's headers nor rebuild the app's copy.
import { spawnSync } from 'node:child_process';

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
  console.log('medseal: ELECTRON_SKIP_BINARY_DOWNLOAD=1, so app/node_modules (built for Electron) is not installed.');
  process.exit(0);
}
if (process.env.npm_command === 'link') {
  console.log(
    'medseal: npm link only links the medseal command; app/node_modules (built for Electron) is left as it is.',
  );
  process.exit(0);
}
const result = spawnSync('npx', ['--no-install', 'electron-builder', 'install-app-deps'], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
