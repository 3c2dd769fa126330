/**
 * The managed policy IT sets for every user of a machine (docs/DEPLOYMENT.md
 * lists each key). Unknown keys are errors, not ignored: a typo in a
 * security setting must never silently leave it unset.
 */
import { isDirectoryKey } from '../directory/partner.js';
import { parseDirectorySourceAddress } from '../directory/fetch/source-address.js';
import { z } from 'zod';
import { parseHostKeyFingerprint, parseSftpAddress } from '../exchange/sftp/sftp-address.js';
import { parseSiemAddress } from '../siem/siem-address.js';
import { parseMailServer } from '../exchange/mail/mail-account.js';
import { parseRecoveryCard } from '../org-recovery/recovery-key.js';

const parses = (parse: (text: string) => unknown) => (text: string) => {
  try {
    parse(text);
    return true;
  } catch {
    return false; // the parser refused it (each throws its own kind): the refinement's message says what it must be
  }
};

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value), 'must be an absolute path');
const domain = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a lower-case domain such as hospital.example');

export const PolicySchema = z.strictObject({
  maxAutoLockMinutes: z.number().int().min(1).max(60).optional(),
  requireVerifiedRecipients: z.boolean().optional(),
  /** Let the hot folder (`medseal watch`) seal for unverified contacts; each such package is audited. Default: verified only. */
  hotFolderAllowUnverified: z.boolean().optional(),
  /** Refuse to seal for a recipient whose card has no post-quantum (X-Wing) key: no package only as strong as X25519. */
  requirePostQuantum: z.boolean().optional(),
  /** Whether packages may also be sealed for a partner without MedSeal, with a generated passphrase (FORMAT.md §2.13). */
  passphrasePackages: z.enum(['allowed', 'forbidden']).optional(),
  allowRememberOnDevice: z.boolean().optional(),
  minPassphraseLength: z.number().int().min(12).max(128).optional(),
  /** The most chunk worker threads one seal or open may use (0: none, on the calling thread); default by cores. */
  maxChunkWorkers: z.number().int().min(0).max(16).optional(),
  exchangeFolders: z.array(absolutePath).max(20).optional(),
  /** The organisation's SFTP exchanges: each user adds only their login key (`medseal exchange add NAME --key-file F`). */
  sftpExchanges: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a short name (letters, digits, . _ -)'),
        url: z.string().refine(parses(parseSftpAddress), 'must look like sftp://USER@HOST[:PORT]/PATH'),
        hostKey: z
          .string()
          .refine(parses(parseHostKeyFingerprint), 'must be the server key as SHA256:… (ssh-keygen -lf on the server)')
          .transform((text) => parseHostKeyFingerprint(text)),
      }),
    )
    .max(20)
    .optional(),
  /** Whether opening or refusing a package sends a signed receipt back to its sender. */
  sendReceipts: z.boolean().optional(),
  /** Desktop notifications when a package arrives or a receipt comes back (a sender's name only). false turns them off for everyone. */
  desktopNotifications: z.boolean().optional(),
  directoryFolder: absolutePath.optional(),
  /**
   * Partner organisations whose directories vouch for their clinicians (FORMAT.md §11): the name
   * clinicians see, the partner's directory key (compared IT-to-IT), where its directory is fetched.
   * When set, users cannot add or remove partners.
   */
  partnerOrganisations: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(100),
        key: z.string().refine(isDirectoryKey, 'must be the partner’s directory key (base64, from medseal org init)'),
        source: z
          .string()
          .refine(
            parses(parseDirectorySourceAddress),
            'must be an https:// URL, an absolute folder path or sftp://USER@HOST/PATH',
          ),
      }),
    )
    .max(100)
    .optional(),
  /** Whether a clinician vouched for by a partner organisation counts as verified where verified recipients are required. */
  acceptPartnerVouching: z.boolean().optional(),
  orgPublicKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be the organisation public key (base64, from medseal org init)')
    .optional(),
  /**
   * The organisation recovery key's card (base64, printed by `medseal org recovery init`): every
   * package and backup sealed here can also be opened by its custodians, together (FORMAT.md §2.12).
   */
  orgRecoveryKey: z
    .string()
    .max(8192)
    .refine(parses(parseRecoveryCard), 'must be the organisation recovery key printed by "medseal org recovery init"')
    .optional(),
  auditExportFolder: absolutePath.optional(),
  allowedRecipientDomains: z.array(domain).min(1).max(200).optional(),
  /** Forward every audit event to this syslog server (SIEM): tcp://, tls:// or udp://HOST:PORT. */
  syslogServer: z
    .string()
    .max(300)
    .refine(parses(parseSiemAddress), 'must look like tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT')
    .optional(),
  syslogFormat: z.enum(['rfc5424', 'cef']).optional(),
  /** The CA (PEM) that must have signed a tls:// server's certificate; else the system's CAs. */
  syslogCaFile: absolutePath.optional(),
  /** The organisation's outgoing mail server for delivery by e-mail: smtps://HOST[:PORT] or smtp://HOST[:PORT] (STARTTLS required). */
  mailSmtpServer: z
    .string()
    .max(300)
    .refine(
      parses((text) => parseMailServer(text, 'smtp')),
      'must look like smtps://HOST[:PORT] or smtp://HOST[:PORT]',
    )
    .optional(),
  /** The organisation's IMAP server: imaps://HOST[:PORT] or imap://HOST[:PORT] (STARTTLS required). */
  mailImapServer: z
    .string()
    .max(300)
    .refine(
      parses((text) => parseMailServer(text, 'imap')),
      'must look like imaps://HOST[:PORT] or imap://HOST[:PORT]',
    )
    .optional(),
  /** The CA (PEM) the mail servers' certificates must chain to; else the system's CAs. */
  mailCaFile: absolutePath.optional(),
  /** Whether users may set up a mailbox on servers other than the policy's (false: only the policy's servers, or no e-mail without them). */
  mailAllowOwnServers: z.boolean().optional(),
  /** Keep a copy of every package sent through the exchanges here (the user cannot turn it off or move it). */
  sentCopyFolder: absolutePath.optional(),
  /** Write encrypted backups of every profile here (a network share IT backs up), named by fingerprint and time. */
  backupFolder: absolutePath.optional(),
  backupIntervalHours: z.number().int().min(1).max(720).optional(),
  /** How many of a profile's backups are kept in backupFolder; older ones are removed. */
  backupKeep: z.number().int().min(1).max(100).optional(),
});

export type Policy = z.infer<typeof PolicySchema>;

/** What applies when the policy says nothing. */
export const POLICY_DEFAULTS = {
  maxAutoLockMinutes: 60,
  requireVerifiedRecipients: false,
  hotFolderAllowUnverified: false,
  requirePostQuantum: false,
  passphrasePackages: 'allowed' as 'allowed' | 'forbidden',
  allowRememberOnDevice: true,
  minPassphraseLength: 12,
  maxChunkWorkers: 16,
  exchangeFolders: [] as string[],
  sftpExchanges: [] as { name: string; url: string; hostKey: string }[],
  sendReceipts: true,
  desktopNotifications: true,
  directoryFolder: null as string | null,
  partnerOrganisations: [] as { name: string; key: string; source: string }[],
  acceptPartnerVouching: true,
  orgPublicKey: null as string | null,
  orgRecoveryKey: null as string | null,
  auditExportFolder: null as string | null,
  allowedRecipientDomains: null as string[] | null,
  syslogServer: null as string | null,
  syslogFormat: 'rfc5424' as 'rfc5424' | 'cef',
  syslogCaFile: null as string | null,
  mailSmtpServer: null as string | null,
  mailImapServer: null as string | null,
  mailCaFile: null as string | null,
  mailAllowOwnServers: true,
  sentCopyFolder: null as string | null,
  backupFolder: null as string | null,
  backupIntervalHours: 24,
  backupKeep: 7,
};

export type EffectivePolicy = typeof POLICY_DEFAULTS;
