// An ESLint rule that keeps the layers of main/ apart by what an import *resolves to*, not by how
// its text looks: static imports, re-exports, dynamic import() and require() with a literal path,
// a path that leaves main/ and comes back in, all count. A file in a main/ folder that the layer
// table (layers.js) does not list is an error too, so a new folder cannot slip past the rules.
import { dirname, relative, resolve, sep } from 'node:path';
import { forbiddenFor, LAYERS } from './layers.js';

const KNOWN = new Set(LAYERS.flatMap((layer) => layer.folders));

/** The main/ folder a path lies in (its first component below main/), or null outside main/. */
function mainFolderOf(root, path) {
  const rel = relative(resolve(root, 'main'), path);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || !rel.includes(sep)) return null;
  return rel.split(sep)[0];
}

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'imports go one way between the layers of main/ (docs/ARCHITECTURE.md, "Layers")' },
    schema: [],
    messages: {
      upward: 'main/{{from}}/ may not import main/{{to}}/ (docs/ARCHITECTURE.md, "Layers").',
      unknownFolder: 'main/{{folder}}/ is not in the layer table (build/lint/layers.js): add it to a layer.',
      computed: 'A computed import() or require() cannot be checked against the layers: use a literal path.',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = mainFolderOf(root, file);
    if (from === null) return {};
    const forbidden = new Set(forbiddenFor(from));
    const check = (node, source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') {
        if (source) context.report({ node, messageId: 'computed' });
        return;
      }
      const text = source.value;
      if (!text.startsWith('.')) return; // packages and node: modules: the other rules look at those
      const to = mainFolderOf(root, resolve(dirname(file), text));
      if (to !== null && forbidden.has(to)) context.report({ node, messageId: 'upward', data: { from, to } });
    };
    return {
      Program(node) {
        if (!KNOWN.has(from)) context.report({ node, messageId: 'unknownFolder', data: { folder: from } });
      },
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length > 0)
          check(node, node.arguments[0]);
      },
    };
  },
};

export { layers };
