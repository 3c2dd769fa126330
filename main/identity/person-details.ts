/**
 * The human part of an identity: who a clinician is, as shown to partners.
 * Validated the same way when an identity is created and when a card arrives.
 */
import { z } from 'zod';

/** Printable text: no control characters (they could disguise a name in a terminal or UI). */
const printable = (max: number) =>
  z
    .string()
    .max(max)
    .refine(
      (value) => !/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u.test(value),
      'contains control or formatting characters, or an unpaired surrogate',
    )
    .refine((value) => value === value.trim(), 'has leading or trailing spaces');

export const PersonDetailsSchema = z.strictObject({
  name: printable(128).pipe(z.string().min(1, 'is empty')),
  organisation: printable(128).pipe(z.string().min(1, 'is empty')),
  role: printable(128),
  email: z
    .string()
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'is not an email address')
    .refine(
      (value) => !/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u.test(value),
      'contains control or formatting characters, or an unpaired surrogate',
    )
    .refine((value) => value === value.toLowerCase(), 'must be lower case'),
});

export type PersonDetails = z.infer<typeof PersonDetailsSchema>;

/** Normalises what a user typed (trims, lower-cases the email) before validation. */
export function normalisePersonDetails(input: {
  name: string;
  organisation: string;
  role?: string;
  email: string;
}): PersonDetails {
  return {
    name: input.name.trim(),
    organisation: input.organisation.trim(),
    role: (input.role ?? '').trim(),
    email: input.email.trim().toLowerCase(),
  };
}
