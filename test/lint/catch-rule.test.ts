/**
 * No swallowed errors (build/lint/catch-rule.js): each planted catch that drops its error fails
 * lint; a catch that uses the error, throws, names its expected case in a comment, or cleans up
 * while another error is on its way passes.
 */
import { describe, expect, it } from 'vitest';
import { ruleIdsFor } from '../helpers/lint-text.js';

const RULE = 'medseal/no-swallowed-catch';
const FILE = 'main/services/x.ts';

describe('a catch that drops the error fails lint', () => {
  it.each([
    ['a value-only promise handler', 'export const f = (p: Promise<number>) => p.catch(() => null);'],
    ['an empty promise handler', 'export const f = (p: Promise<number>) => p.catch(() => {});'],
    ['a handler whose error goes unused', 'export const f = (p: Promise<number>) => p.catch((error) => 0);'],
    ['the rejection handler of then()', 'export const f = (p: Promise<number>) => p.then((v) => v, () => -1);'],
    ['an empty catch clause', 'export function f(g: () => void) {\n  try {\n    g();\n  } catch {}\n}'],
    [
      'a catch clause that only returns a value',
      'export function f(g: () => number) {\n  try {\n    return g();\n  } catch (error) {\n    return 0;\n  }\n}',
    ],
    [
      'a throw only inside a nested function',
      'export function f(g: () => number) {\n  try {\n    return g();\n  } catch {\n    return () => {\n      throw new Error("later");\n    };\n  }\n}',
    ],
  ])('%s', async (_what, code) => {
    expect(await ruleIdsFor(FILE, code)).toContain(RULE);
  });

  it('in the renderer too', async () => {
    expect(
      await ruleIdsFor('renderer/src/x.ts', 'export const f = (p: Promise<number>) => p.catch(() => null);'),
    ).toContain(RULE);
  });
});

describe('a catch that handles its error passes', () => {
  it.each([
    [
      'a named case, tested',
      'export const f = (p: Promise<number>) => p.catch((error: unknown) => { if (error instanceof RangeError) return 0; throw error; });',
    ],
    [
      'a mapped, typed error',
      'export function f(g: () => void) {\n  try {\n    g();\n  } catch {\n    throw new Error("typed");\n  }\n}',
    ],
    [
      'a logged error',
      'declare const log: { warn(e: unknown): void };\nexport const f = (p: Promise<number>) => p.catch((error: unknown) => log.warn(error));',
    ],
    [
      'an expected case named in a comment',
      'export function f(g: () => void) {\n  try {\n    g();\n  } catch {\n    // ENOENT: the file was never written, which is what we wanted to know.\n  }\n}',
    ],
    [
      'clean-up in a finally block',
      'declare function rm(p: string): Promise<void>;\nexport async function f(g: () => Promise<void>) {\n  try {\n    await g();\n  } finally {\n    await rm("t").catch(() => undefined);\n  }\n}',
    ],
    [
      'clean-up on the way out of a catch that rethrows',
      'declare function rm(p: string): Promise<void>;\nexport async function f(g: () => Promise<void>) {\n  try {\n    await g();\n  } catch (error) {\n    await rm("t").catch(() => undefined);\n    throw error;\n  }\n}',
    ],
  ])('%s', async (_what, code) => {
    expect(await ruleIdsFor(FILE, code)).not.toContain(RULE);
  });
});
