// The layers of main/ and what each may import (docs/ARCHITECTURE.md explains them).
// Imports go one way only: a folder may import its own layer and the layers below it,
// never a layer above. eslint.config.js turns this table into import rules per folder;
// test/lint/layers.test.ts plants violating imports and checks that lint fails.

/** Folders of main/ by layer, lowest first. */
export const LAYERS = [
  { name: 'base', folders: ['errors', 'crypto', 'validation', 'fs', 'logging', 'texts'] },
  {
    name: 'domain',
    folders: [
      'identity',
      'contacts',
      'package',
      'audit',
      'directory',
      'exchange',
      'policy',
      'profile',
      'siem',
      'recovery',
      'backup',
      'org-recovery',
    ],
  },
  { name: 'storage', folders: ['store'] },
  { name: 'services', folders: ['services'] },
  { name: 'jobs', folders: ['jobs'] },
  { name: 'ipc', folders: ['ipc'] },
  { name: 'entry', folders: ['app', 'cli', 'shell', 'launcher', 'reader'] },
];

/** Folders a folder may not import although they are below it or beside it. */
export const EXTRA_FORBIDDEN = {
  // The IPC contract is shared with the renderer: plain zod and base only.
  ipc: LAYERS.filter((layer) => !['base', 'ipc', 'entry'].includes(layer.name)).flatMap((layer) => layer.folders),
  // The three entry points stand beside each other: the CLI never reaches into the app. Only the
  // launcher (the app binary's entry: the window, or the CLI with --cli) sees the shell and the CLI.
  app: ['cli', 'shell', 'launcher'],
  cli: ['app', 'shell', 'ipc', 'launcher'],
  shell: ['cli', 'launcher'],
  launcher: ['app', 'ipc'],
  // MedSeal Reader is a browser page over the package format: base and domain only.
  reader: [
    ...LAYERS.filter((layer) => ['storage', 'services', 'jobs', 'ipc'].includes(layer.name)).flatMap(
      (layer) => layer.folders,
    ),
    'app',
    'cli',
    'shell',
    'launcher',
  ],
};

/** Every folder a file in main/<folder>/ must not import. */
export function forbiddenFor(folder) {
  const rank = LAYERS.findIndex((layer) => layer.folders.includes(folder));
  const above = LAYERS.slice(rank + 1).flatMap((layer) => layer.folders);
  return [...new Set([...above, ...(EXTRA_FORBIDDEN[folder] ?? [])])];
}

/** A no-restricted-imports pattern that matches a relative import of main/<folder>/ from anywhere in main/. */
export function importOf(folder) {
  return `^(\\.\\./)+${folder}/`;
}
