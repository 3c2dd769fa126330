/** A zod field for exactly `bytes` bytes as standard base64 (keystores, backup headers), decoded. */
import { z } from 'zod';

export const base64Bytes = (bytes: number) =>
  z
    .string()
    .refine(
      (value) => /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes,
      `must be ${bytes} bytes of base64`,
    )
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64')));
