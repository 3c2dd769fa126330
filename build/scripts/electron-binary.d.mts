// Types of electron-binary.mjs for the TypeScript that imports it (test/smoke/).
export type ElectronBinary =
  { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string };
export function findElectronBinary(packageFolder: string, env?: NodeJS.ProcessEnv): ElectronBinary;
