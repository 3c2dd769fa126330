// Lint rules. The ones that matter most keep the layers apart (build/lint/layers.js,
// docs/ARCHITECTURE.md): imports go one way, only main/shell/ imports 'electron', only
// main/store/ talks SQL, and the renderer sees nothing of main/ but the IPC contract's
// types and the shared texts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { forbiddenFor, importOf, LAYERS } from './build/lint/layers.js';
import { medsealPlugin } from './build/lint/plugin.js';

const electronPaths = [
  { name: 'electron', message: "Only main/shell/ may import 'electron'; keep the core plain Node." },
];
const electronPatterns = [{ group: ['electron/*'], message: "Only main/shell/ may import 'electron'." }];
const sqlitePaths = [{ name: 'better-sqlite3', message: 'SQL lives in main/store/ only: add a store method instead.' }];

// MedSeal Reader runs in a browser page: no Node module (build/scripts/build-reader.mjs also stops the build
// when one is reached through the core, other than node:crypto, which it answers for the page).
const readerNodePatterns = [
  {
    regex: '^(node:|(fs|path|os|crypto|worker_threads|child_process|stream)(/|$))',
    message: 'main/reader/ runs in a browser: it may not import a Node module.',
  },
];

/** no-restricted-imports for one folder: electron, SQLite and the layers above it. */
function importRules({ paths = [], patterns = [] }) {
  return { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] };
}

export const electronImportRule = {
  ...importRules({ paths: electronPaths, patterns: electronPatterns }),
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\u002F|$)/]",
      message: "Only main/shell/ may require 'electron'.",
    },
    {
      selector: 'ImportExpression[source.value=/^electron(\\u002F|$)/]',
      message: "Only main/shell/ may import 'electron'.",
    },
  ],
};

const layerBlocks = LAYERS.flatMap((layer) => layer.folders).map((folder) => ({
  files: [`main/${folder}/**/*.{ts,tsx}`],
  rules: {
    ...(folder === 'shell' ? {} : electronImportRule),
    ...importRules({
      paths: [...(folder === 'shell' ? [] : electronPaths), ...(folder === 'store' ? [] : sqlitePaths)],
      patterns: [
        ...(folder === 'shell' ? [] : electronPatterns),
        ...forbiddenFor(folder).map((forbidden) => ({
          regex: importOf(forbidden),
          message: `main/${folder}/ may not import main/${forbidden}/ (docs/ARCHITECTURE.md, "Layers").`,
        })),
        ...(folder === 'reader' ? readerNodePatterns : []),
      ],
    }),
  },
}));

const rendererBlock = {
  files: ['renderer/**/*.{ts,tsx}'],
  rules: importRules({
    paths: [...electronPaths, ...sqlitePaths],
    patterns: [
      ...electronPatterns,
      {
        regex: '/main/ipc/(contract|preload-api)(\\.js)?$',
        allowTypeImports: true,
        message: 'The renderer may import only types from the IPC contract.',
      },
      {
        regex: '/main/(?!ipc/(contract|preload-api)(\\.js)?$|texts/)',
        message: 'The renderer sees main/ only through the IPC contract (types) and main/texts/.',
      },
    ],
  }),
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'app/dist/', 'app/node_modules/', 'release/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // Type-aware rules where type information catches what syntax cannot: promises left unhandled or
  // passed where a value is expected, awaits of non-promises, assertions that do nothing.
  {
    files: ['main/**/*.ts', 'renderer/**/*.{ts,tsx}', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    files: ['renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  { files: ['**/*.{ts,tsx,js,mjs,cjs}'], ignores: ['main/shell/**'], rules: electronImportRule },
  ...layerBlocks,
  // The same table, by what each import resolves to (dynamic imports, paths that leave main/ and
  // come back, folders missing from the table): build/lint/layer-rule.js.
  { files: ['main/**/*.{ts,tsx}'], plugins: { medseal: medsealPlugin }, rules: { 'medseal/layers': 'error' } },
  // One envelope: ciphers are called in main/crypto/ only (build/lint/crypto-rule.js).
  {
    files: ['main/**/*.{ts,tsx}', 'renderer/**/*.{ts,tsx}'],
    ignores: ['main/crypto/**'],
    plugins: { medseal: medsealPlugin },
    rules: { 'medseal/crypto-only-in-crypto': 'error' },
  },
  // No swallowed errors (build/lint/catch-rule.js).
  {
    files: ['main/**/*.{ts,tsx}', 'renderer/**/*.{ts,tsx}'],
    plugins: { medseal: medsealPlugin },
    rules: { 'medseal/no-swallowed-catch': 'error' },
  },
  rendererBlock,
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
