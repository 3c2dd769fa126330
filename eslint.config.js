// Lint rules. The one that matters most: only main/shell/ may import 'electron'
// (DESIGN.md: the core is plain Node so it can be tested without Electron).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export const electronImportRule = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'electron', message: "Only main/shell/ may import 'electron'; keep the core plain Node." }],
      patterns: [{ group: ['electron/*'], message: "Only main/shell/ may import 'electron'." }],
    },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\u002F|$)/]",
      message: "Only main/shell/ may require 'electron'.",
    },
    {
      selector: "ImportExpression[source.value=/^electron(\\u002F|$)/]",
      message: "Only main/shell/ may import 'electron'.",
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'app/dist/', 'app/node_modules/', 'release/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.{ts,tsx,js,mjs,cjs}'], ignores: ['main/shell/**'], rules: electronImportRule },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
