/**
 * The managed policy IT sets for every user of a machine (docs/DEPLOYMENT.md
 * lists each key). Unknown keys are errors, not ignored: a typo in a
 * security setting must never silently leave it unset.
 */
import { z } from 'zod';

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value), 'must be an absolute path');
const domain = z.string().regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a lower-case domain such as hospital.example');

export const PolicySchema = z.strictObject({
  maxAutoLockMinutes: z.number().int().min(1).max(60).optional(),
  requireVerifiedRecipients: z.boolean().optional(),
  allowRememberOnDevice: z.boolean().optional(),
  minPassphraseLength: z.number().int().min(12).max(128).optional(),
  exchangeFolders: z.array(absolutePath).max(20).optional(),
  directoryFolder: absolutePath.optional(),
  orgPublicKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be the organisation public key (base64, from medseal org init)')
    .optional(),
  auditExportFolder: absolutePath.optional(),
  allowedRecipientDomains: z.array(domain).min(1).max(200).optional(),
});

export type Policy = z.infer<typeof PolicySchema>;

/** What applies when the policy says nothing. */
export const POLICY_DEFAULTS = {
  maxAutoLockMinutes: 60,
  requireVerifiedRecipients: false,
  allowRememberOnDevice: true,
  minPassphraseLength: 12,
  exchangeFolders: [] as string[],
  directoryFolder: null as string | null,
  orgPublicKey: null as string | null,
  auditExportFolder: null as string | null,
  allowedRecipientDomains: null as string[] | null,
};

export type EffectivePolicy = typeof POLICY_DEFAULTS;
