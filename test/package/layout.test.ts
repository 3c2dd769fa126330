/**
 * The header layout table (main/package/layout.ts) is FORMAT.md §2.1's
 * table: the same fields, offsets and sizes, in order and without gaps,
 * adding up to the fixed header's length. A change to either fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_HEADER_BYTES } from '../../main/package/format.js';
import { FIXED_FIELDS } from '../../main/package/layout.js';

const DOC_NAMES: Record<string, keyof typeof FIXED_FIELDS> = {
  magic: 'magic',
  version: 'version',
  chunk_size_log2: 'chunkSizeLog2',
  flags: 'flags',
  N: 'recipientCount',
  salt: 'salt',
  E: 'ephemeralPublic',
};

describe('the fixed header layout', () => {
  it('mirrors FORMAT.md §2.1 field by field', () => {
    const format = readFileSync(join(process.cwd(), 'docs', 'FORMAT.md'), 'utf8');
    const section = format.slice(format.indexOf('### 2.1 Layout'), format.indexOf('### 2.2'));
    const rows = [...section.matchAll(/^\| (\d+) \| (\d+) \| ([A-Za-z_0-9]+) \|/gm)].map(([, offset, size, name]) => ({
      name: DOC_NAMES[name!],
      offset: Number(offset),
      size: Number(size),
    }));
    expect(rows).toEqual(Object.entries(FIXED_FIELDS).map(([name, field]) => ({ name, ...field })));
  });

  it('has no gaps and adds up to the fixed header length', () => {
    let next = 0;
    for (const field of Object.values(FIXED_FIELDS)) {
      expect(field.offset).toBe(next);
      next += field.size;
    }
    expect(next).toBe(FIXED_HEADER_BYTES);
  });
});
