/**
 * The fixed part of a package header, field by field, as docs/FORMAT.md
 * §2.1 gives it: one table for the writer (header.ts), the reader, the
 * inspector and the tests' forgers, and checked against FORMAT.md by a test.
 */
export const FIXED_FIELDS = {
  magic: { offset: 0, size: 7 },
  version: { offset: 7, size: 1 },
  chunkSizeLog2: { offset: 8, size: 1 },
  flags: { offset: 9, size: 1 },
  recipientCount: { offset: 10, size: 2 },
  salt: { offset: 12, size: 32 },
  ephemeralPublic: { offset: 44, size: 32 },
} as const;

export type FixedField = keyof typeof FIXED_FIELDS;

/** The bytes of one fixed field (a view, not a copy). */
export function fixedField(header: Buffer, field: FixedField): Buffer {
  const { offset, size } = FIXED_FIELDS[field];
  return header.subarray(offset, offset + size);
}
