/** One way of writing sizes for the CLI and the app (main/texts/sizes.ts). */
import { describe, expect, it } from 'vitest';
import { formatBytes as cliFormatBytes } from '../../main/cli/format-text.js';
import { formatBytes } from '../../main/texts/sizes.js';
import { formatBytes as appFormatBytes } from '../../renderer/src/format.js';

describe('sizes in words', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1.0 KB'],
    [50 * 1024, '50 KB'],
    [3 * 1024 * 1024 + 5, '3.0 MB'],
    [1.5 * 1024 ** 3, '1.5 GB'],
    [2048 * 1024 ** 4, '2048 TB'],
  ])('%d is "%s"', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words);
  });

  it('the CLI and the app say the same', () => {
    for (const bytes of [5, 5000, 5_000_000, 5_000_000_000])
      expect([cliFormatBytes(bytes), appFormatBytes(bytes)]).toEqual([formatBytes(bytes), formatBytes(bytes)]);
  });
});
