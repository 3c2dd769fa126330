// Preloaded (`node -r`) to run the built app entry app/dist/main.cjs on Node, as `MedSeal --cli` runs it in
// Electron's main process (test/cli/app-binary-cli.test.ts). `electron` is replaced by the little that the CLI
// mode uses: app.exit ends the process with the code given. Anything else of Electron throws, so a command
// line that would start the window says so. better-sqlite3 comes from the root tree (built for Node): an
// app/node_modules built for Electron may be beside app/dist on a developer's machine.
const Module = require('node:module');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const app = new Proxy(
  { exit: (code) => process.exit(code ?? 0), dock: undefined },
  {
    get(target, name) {
      if (name in target) return target[name];
      throw new Error(`fake electron: the desktop app was started (app.${String(name)})`);
    },
  },
);
const electron = new Proxy(
  { app },
  {
    get(target, name) {
      if (name in target) return target[name];
      throw new Error(`fake electron: the desktop app was started (electron.${String(name)})`);
    },
  },
);

process.defaultApp = true; // argv is [node, main.cjs, …], as [electron, app/, …] in development
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'electron') return electron;
  if (request === 'better-sqlite3')
    return load.call(this, join(ROOT, 'node_modules', 'better-sqlite3'), parent, isMain);
  return load.call(this, request, parent, isMain);
};
