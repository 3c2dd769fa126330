// Types of layers.js for the TypeScript tests that read the same table.
export interface Layer {
  readonly name: string;
  readonly folders: readonly string[];
}
export declare const LAYERS: readonly Layer[];
export declare const EXTRA_FORBIDDEN: Readonly<Record<string, readonly string[]>>;
export declare function forbiddenFor(folder: string): string[];
export declare function importOf(folder: string): string;
