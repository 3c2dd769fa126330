/**
 * Second review, item 13: what ships must be auditable. Packages esbuild
 * bundles into the app and the CLI were devDependencies, so `npm audit
 * --omit=dev` and dependency scanners skipped them. Every package the code
 * imports at run time is a runtime dependency of package.json, every
 * package the app's bundles hold (esbuild's metafiles, written by the build
 * to dist/release/bundled-packages.json) is outside the lockfile's dev tree,
 * and what app/ installs is declared at the root too.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
/** Electron is the runtime itself: electron-builder requires it among devDependencies, and the SBOM lists it as shipped. */
const PROVIDED = new Set(['electron']);

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

async function json<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(join(ROOT, path), 'utf8')) as T;
}

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, folder), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')).map((entry) => join(entry.parentPath, entry.name));
}

/** Bare module names a file loads at run time: imports and re-exports (not `import type`), dynamic imports, require. */
export function runtimeImports(source: string): string[] {
  const found: string[] = [];
  const statement = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(statement)) if (!match[2]) found.push(match[3]!);
  for (const match of source.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1]!);
  return found;
}

function packageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

describe('what ships is declared as a runtime dependency', () => {
  it('the import scanner finds value imports and skips type-only ones', () => {
    const source = "import type { A } from 'types-only';\nimport {\n  b,\n  type C,\n} from 'multi-line';\nexport { d } from '@scope/pkg/sub';\nimport 'side-effect';\nconst e = await import('lazy');\nexport type { F } from 'types-too';";
    expect(runtimeImports(source).map(packageName)).toEqual(['multi-line', '@scope/pkg', 'side-effect', 'lazy']);
  });

  it('every package main/ and renderer/ import is in dependencies, not devDependencies', async () => {
    const manifest = await json<PackageJson>('package.json');
    const imported = new Map<string, string>();
    for (const file of [...(await sourceFiles('main')), ...(await sourceFiles('renderer'))]) {
      for (const specifier of runtimeImports(await readFile(file, 'utf8'))) {
        const name = packageName(specifier);
        if (name && !PROVIDED.has(name) && !imported.has(name)) imported.set(name, file.slice(ROOT.length + 1));
      }
    }
    expect(imported.size).toBeGreaterThan(10);
    const undeclared = [...imported].filter(([name]) => manifest.dependencies?.[name] === undefined).map(([name, file]) => `${name} (imported by ${file})`);
    expect(undeclared).toEqual([]);
    for (const name of PROVIDED) expect(manifest.devDependencies?.[name]).toBeDefined();
  });

  it('what app/ installs is declared at the root in the same version', async () => {
    const root = await json<PackageJson>('package.json');
    const app = await json<PackageJson>('app/package.json');
    for (const [name, version] of Object.entries(app.dependencies ?? {})) expect(root.dependencies?.[name], name).toBe(version);
  });

  it.runIf(existsSync(join(ROOT, 'dist', 'release', 'bundled-packages.json')))('every package in the app bundles is outside the lockfile’s dev tree (npm audit --omit=dev sees it)', async () => {
    const bundled = await json<string[]>('dist/release/bundled-packages.json');
    const lock = await json<{ packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean }> }>('package-lock.json');
    expect(bundled.length).toBeGreaterThan(10);
    // name@version may be installed at the top or nested under the package that needs that version.
    const devOnly = bundled.filter((id) => {
      const [name, version] = [id.slice(0, id.lastIndexOf('@')), id.slice(id.lastIndexOf('@') + 1)];
      const installed = Object.entries(lock.packages).filter(([path, entry]) => path.endsWith(`node_modules/${name}`) && entry.version === version);
      return installed.length === 0 || installed.every(([, entry]) => entry.dev === true || entry.devOptional === true);
    });
    expect(devOnly).toEqual([]);
  });
});
