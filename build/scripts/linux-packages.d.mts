// Types of linux-packages.mjs for the TypeScript that imports it (test/linux/).
export const INSTALL_DIR: string;
export const DEB_DEPENDS: readonly string[];
export class LinuxPackageError extends Error {}
export function stageTree(unpacked: string, tree: string): Promise<void>;
export function buildDeb(options: { unpacked: string; output: string; arch?: 'x64' | 'arm64' }): Promise<string>;
export function buildRpm(options: { unpacked: string; output: string; arch?: 'x64' | 'arm64' }): Promise<string>;
