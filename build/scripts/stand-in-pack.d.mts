// Types of stand-in-pack.mjs for the TypeScript that imports it (test/release/, test/linux/).
export const root: string;
export const STAND_IN_MARKER: string;
export class StandInPackError extends Error {}
export function makeStandInRuntime(folder: string, electronVersion: string): Promise<string>;
export function stageApp(folder: string): Promise<string>;
export function folderBytes(folder: string): Promise<number>;
export function packWithStandIn(options: {
  readonly output: string;
  readonly arch?: 'x64' | 'arm64';
}): Promise<{ readonly unpacked: string; readonly appBytes: number; readonly seconds: number }>;
