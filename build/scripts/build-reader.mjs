// Builds MedSeal Reader (main/reader/): one self-contained HTML page that opens passphrase packages in a
// browser, from the same package-reading code as the app. esbuild bundles the page's script for the
// browser, with node:crypto answered by main/reader/browser/node-crypto.ts and Buffer by the `buffer`
// package; any other Node module reached from MedSeal's code stops the build (the page must not need one).
// The script and the style go inline, and the Content-Security-Policy names them by hash: nothing else
// may run, load or connect ('wasm-unsafe-eval' is what libsodium's WebAssembly needs).
//   app/dist/medseal-reader.html – shipped in the app ("Save MedSeal Reader…"), copied to the release by dist.mjs
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { root } from './bundle-options.mjs';

const READER = join(root, 'main/reader');
export const READER_OUTPUT = join(root, 'app/dist/medseal-reader.html');

/** Node modules reached from libsodium's own Node-only branches (never run in a browser): empty there. */
const EMPTY_IN_LIBSODIUM = new Set(['node:fs', 'fs', 'path', 'crypto', 'node:crypto']);

const nodeModulesForBrowser = {
  name: 'node-modules-for-browser',
  setup(bundle) {
    bundle.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const builtin =
        args.path.startsWith('node:') || ['fs', 'path', 'os', 'worker_threads', 'stream'].includes(args.path);
      if (!builtin) return undefined;
      if (/node_modules[\\/]libsodium/.test(args.importer) && EMPTY_IN_LIBSODIUM.has(args.path))
        return { path: args.path, namespace: 'empty' };
      if (args.path === 'node:crypto') return { path: join(READER, 'browser/node-crypto.ts') };
      return {
        errors: [
          {
            text: `MedSeal Reader cannot use ${args.path} (imported by ${relative(root, args.importer)}): keep it out of the page's imports`,
          },
        ],
      };
    });
    bundle.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export async function buildReader() {
  const bundled = await build({
    entryPoints: [join(READER, 'page/reader-page.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: ['chrome110', 'edge110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    inject: [join(READER, 'browser/buffer-global.ts')],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    plugins: [nodeModulesForBrowser],
    metafile: true, // the page ships in the app: its packages go into the SBOM (build.mjs)
    logLevel: 'warning',
  });
  const script = bundled.outputFiles[0].text;
  if (/<\/script/i.test(script)) throw new Error('The Reader script contains "</script": it cannot go inline');
  const style = await readFile(join(READER, 'page/reader.css'), 'utf8');
  const template = await readFile(join(READER, 'page/reader.html'), 'utf8');
  const policy = [
    "default-src 'none'",
    `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
    `style-src ${sha256(style)}`,
    "img-src 'none'",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  // The elements take the place of their marker comments: the hashes in the policy are of exactly
  // what goes between their tags.
  const page = template
    .replace('{{CSP}}', policy)
    .replace('<!-- reader.css goes here (build/scripts/build-reader.mjs) -->', () => `<style>${style}</style>`)
    .replace('<!-- reader-page.ts goes here (build/scripts/build-reader.mjs) -->', () => `<script>${script}</script>`);
  if (page.includes('{{') || page.includes('goes here (build/scripts/build-reader.mjs)'))
    throw new Error('main/reader/page/reader.html: a marker was not replaced');
  await mkdir(join(root, 'app/dist'), { recursive: true });
  await writeFile(READER_OUTPUT, page);
  return { path: READER_OUTPUT, bytes: Buffer.byteLength(page), metafile: bundled.metafile };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { path, bytes } = await buildReader();
  console.log(`${relative(root, path)}: ${(bytes / 1024).toFixed(0)} KiB`);
}
