// An ESLint rule that keeps authenticated encryption in main/crypto/: every secret sealed at rest
// goes through crypto/secret-box.ts or crypto/passphrase-envelope.ts, and package chunks through
// crypto/chunk-cipher.ts, so a format cannot quietly compose its own (a missing associated data, a
// reused nonce). Outside main/crypto/, a call of a libsodium AEAD, secretbox, box, stream cipher or
// password hash, or of node:crypto's createCipheriv/createDecipheriv, is an error.

const SODIUM_CIPHER = /^crypto_(aead_|secretbox|box|stream|pwhash)/;
const NODE_CIPHER = new Set(['createCipheriv', 'createDecipheriv']);

/** @type {import('eslint').Rule.RuleModule} */
export const cryptoOnlyInCrypto = {
  meta: {
    type: 'problem',
    docs: { description: 'ciphers are called in main/crypto/ only (docs/ARCHITECTURE.md, "One envelope")' },
    schema: [],
    messages: {
      cipher:
        '{{name}} is called in main/crypto/ only: seal secrets with crypto/secret-box.ts or crypto/passphrase-envelope.ts.',
    },
  },
  create(context) {
    const report = (node, name) => context.report({ node, messageId: 'cipher', data: { name } });
    const nameOf = (node) => {
      if (node.type === 'Identifier') return node.name;
      if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
      return null;
    };
    return {
      MemberExpression(node) {
        const name = nameOf(node.property);
        if (name && (SODIUM_CIPHER.test(name) || NODE_CIPHER.has(name))) report(node, name);
      },
      ImportSpecifier(node) {
        const name = nameOf(node.imported);
        if (name && NODE_CIPHER.has(name)) report(node, name);
      },
      Property(node) {
        // const { createCipheriv } = crypto
        if (node.parent.type !== 'ObjectPattern') return;
        const name = nameOf(node.key);
        if (name && (SODIUM_CIPHER.test(name) || NODE_CIPHER.has(name))) report(node, name);
      },
    };
  },
};
