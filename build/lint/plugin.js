// The project's own ESLint rules, as one plugin ("medseal") so every config block names the same object.
import { layers } from './layer-rule.js';
import { cryptoOnlyInCrypto } from './crypto-rule.js';
import { noSwallowedCatch } from './catch-rule.js';

export const medsealPlugin = {
  rules: { layers, 'crypto-only-in-crypto': cryptoOnlyInCrypto, 'no-swallowed-catch': noSwallowedCatch },
};
