/**
 * The one error catalogue (main/texts/errors/): every code raised in main/ has its words, every
 * text parses as ICU MessageFormat and every entry belongs to a raised code; errors take their
 * words from it with their values filled in; a language lacking a text falls back to English;
 * docs/ERRORS.md is what the generator writes now.
 */
import { readFile } from 'node:fs/promises';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { en } from '../../main/texts/errors/en.js';
import { errorText, isErrorTextKey, useErrorLanguage } from '../../main/texts/errors/error-text.js';
import { IoError } from '../../main/errors/io-error.js';
import { UsageError } from '../../main/errors/usage-error.js';
import { FolderNotSafe } from '../../main/fs/errors.js';
import { TooFewShares } from '../../main/org-recovery/errors.js';
import { UnsupportedPackageVersion } from '../../main/package/errors.js';
import { JobFailed } from '../../main/services/package-runner.js';
import { errorCodes, renderErrorsDoc } from '../../build/scripts/errors-doc.mjs';

const root = process.cwd();

describe('the error catalogue', () => {
  it('has words for every code raised in main/, and none for a code nobody raises', async () => {
    const raised = new Set((await errorCodes(root)).keys());
    const entries = new Set(Object.keys(en).map((key) => key.split('.')[0]!));
    expect([...raised].filter((code) => !entries.has(code))).toEqual([]);
    expect([...entries].filter((code) => !raised.has(code))).toEqual([]);
  });

  it('every text is valid ICU MessageFormat', () => {
    for (const [key, text] of Object.entries(en)) {
      expect(() => new IntlMessageFormat(text, 'en').getAst(), key).not.toThrow();
    }
  });

  it('an error takes its words from the catalogue, with its values filled in', () => {
    const io = new IoError('the output folder', 'ENOSPC');
    expect(io.userMessage).toBe('Could not access the output folder: the disk is full. Nothing was changed.');
    expect(io.message).toBe(io.userMessage);
    expect(String(io)).toBe(`IoError: ${io.userMessage}`);
    expect(new IoError('the package', 'EWHATEVER').userMessage).toContain('of an input/output error');
  });

  it('plural and kind choose the words', () => {
    expect(new TooFewShares(3, 1).userMessage).toMatch(/^3 custodians' shares are needed .*; 1 was given\./);
    expect(new TooFewShares(1, 0).userMessage).toMatch(/^1 custodian's share is needed .*; 0 were given\./);
    expect(new FolderNotSafe('the outbox', 'not-a-folder').userMessage).toMatch(/^The outbox is not a folder, so/);
    expect(new UnsupportedPackageVersion(9).userMessage).toContain('format version 9');
    expect(new UnsupportedPackageVersion(2, 4).userMessage).toContain('a format feature');
  });

  it('an error from a worker is rebuilt from its code, variant and values, not from words', () => {
    const original = new FolderNotSafe('the outbox', 'owner');
    const crossed = new JobFailed(original.code, original.category, structuredClone(original.textRef));
    expect(crossed.userMessage).toBe(original.userMessage);
  });

  it('a code no catalogue knows gives the internal-problem words, never nothing', () => {
    expect(isErrorTextKey('NO_SUCH_CODE')).toBe(false);
    expect(errorText('NO_SUCH_CODE')).toBe(en.INTERNAL);
    expect(new JobFailed('FROM_A_NEWER_WORKER', 'internal').userMessage).toBe(en.INTERNAL);
  });

  it('a value the raiser forgot shows as … rather than losing the error', () => {
    expect(errorText('IO_ERROR', { systemCode: 'EIO' })).toBe(
      'Could not access …: the disk reported a hardware error. Nothing was changed.',
    );
  });

  it('an unknown language falls back to English', () => {
    useErrorLanguage('xx');
    try {
      expect(new UsageError('--limit must be a positive whole number.').userMessage).toBe(
        '--limit must be a positive whole number.',
      );
      expect(errorText('LOCKED')).toBe(en.LOCKED);
    } finally {
      useErrorLanguage('en');
    }
  });

  it('docs/ERRORS.md is what the generator writes now (npm run errors:generate)', async () => {
    expect(await readFile('docs/ERRORS.md', 'utf8')).toBe(await renderErrorsDoc(root));
  });
});
