/**
 * How each policy key is presented and stored outside JSON: its kind (which
 * registry value type, ADMX element and plist type carries it), a display
 * name and an explanation. The one source for the Windows ADMX/ADML, the
 * macOS sample profile and the registry and managed-preferences readers;
 * the values themselves are validated by PolicySchema, as from the file.
 * A test checks that this lists exactly the schema's keys.
 */
import type { Policy } from './policy-schema.js';

/**
 * boolean: REG_DWORD 0/1, plist <true/>/<false/>; integer: REG_DWORD; text: REG_SZ, plist
 * string; texts: REG_MULTI_SZ, plist array of strings; json: REG_SZ holding JSON (lists of
 * objects, as VS Code does for object policies), plist array of dictionaries.
 */
export type PolicyKind = 'boolean' | 'integer' | 'text' | 'texts' | 'json';

export interface PolicyEntry {
  readonly key: keyof Policy;
  readonly kind: PolicyKind;
  readonly displayName: string;
  readonly explain: string;
  /** integer only: the accepted range (the schema's). */
  readonly min?: number;
  readonly max?: number;
  /**
   * A sensible value for the sample macOS profile (build/policy/medseal.mobileconfig); undefined
   * where any sample would be unsafe to deploy as it is (a recovery key whose secret nobody holds).
   */
  readonly example: unknown;
}

export const POLICY_CATALOGUE: readonly PolicyEntry[] = [
  {
    key: 'maxAutoLockMinutes',
    example: 10,
    kind: 'integer',
    min: 1,
    max: 60,
    displayName: 'Longest auto-lock time (minutes)',
    explain: 'Users can choose a shorter auto-lock, never a longer one. 1 to 60; the app starts at 15.',
  },
  {
    key: 'requireVerifiedRecipients',
    example: true,
    kind: 'boolean',
    displayName: 'Seal only for verified recipients',
    explain:
      'Sealing for a contact whose safety number was not compared (and who is not in the organisation directory) is refused, in the app and the command line.',
  },
  {
    key: 'hotFolderAllowUnverified',
    example: false,
    kind: 'boolean',
    displayName: 'Hot folder: allow unverified recipients',
    explain:
      'The hot folder (medseal watch) seals only for contacts whose safety number was compared or whom the organisation directory vouches for; no person is there to confirm anything else. Turn this on to let it seal for unverified contacts too: each such package is recorded in the audit log (package.unverified-allowed) and sent to the SIEM as a warning. Ignored when verified recipients are required.',
  },
  {
    key: 'requirePostQuantum',
    example: true,
    kind: 'boolean',
    displayName: 'Require post-quantum protection',
    explain:
      "Sealing for a contact whose card has no post-quantum (X-Wing) key is refused, so that every package is protected against future quantum computers. Without this setting such a package is sealed with today's protection and a warning. A passphrase for a partner without MedSeal (passphrasePackages) is allowed beside it: its stanza is symmetric (Argon2id and AES-256), so it is as safe against quantum computers as its generated six-word passphrase (66 bits) is against guessing.",
  },
  {
    key: 'passphrasePackages',
    example: 'allowed',
    kind: 'text',
    displayName: 'Packages for partners without MedSeal (passphrase)',
    explain:
      'allowed (the default) or forbidden. When allowed, a package can also be sealed for a partner who has no MedSeal: MedSeal generates a six-word passphrase that the sender reads to the partner on the phone or sends by text message, never with the package. Whoever has the package and the passphrase can open it, so it is weaker than sealing for a verified contact; forbidden refuses it in the app and the command line.',
  },
  {
    key: 'allowRememberOnDevice',
    example: false,
    kind: 'boolean',
    displayName: 'Allow "remember on this device"',
    explain:
      "When disabled, users cannot keep MedSeal unlocked through the operating system's keychain. It is always off where the keychain would store keys unprotected.",
  },
  {
    key: 'minPassphraseLength',
    example: 16,
    kind: 'integer',
    min: 12,
    max: 128,
    displayName: 'Minimum passphrase length',
    explain: 'The minimum number of characters of new passphrases, 12 to 128.',
  },
  {
    key: 'maxChunkWorkers',
    example: 4,
    kind: 'integer',
    min: 0,
    max: 16,
    displayName: 'Most worker threads for one package',
    explain:
      'How many worker threads one seal or open may use for the encryption of a large package (0: none, the work stays on one thread). Without it, MedSeal uses one per core but one, at least two and at most eight. Lower it where workstations run other heavy work; users can ask for fewer (medseal seal --workers N), never more.',
  },
  {
    key: 'exchangeFolders',
    example: ['/Volumes/medseal-exchange'],
    kind: 'texts',
    displayName: 'Exchange folders',
    explain:
      'Absolute paths of shared folders every user exchanges packages through (one per line, at most 20). Users cannot remove them.',
  },
  {
    key: 'sftpExchanges',
    example: [
      {
        name: 'partner-lab',
        url: 'sftp://clinic@sftp.lab.example/exchange',
        hostKey: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
      },
    ],
    kind: 'json',
    displayName: 'SFTP exchanges',
    explain:
      'The organisation\'s SFTP exchanges, as a JSON list: [{"name":"partner-lab","url":"sftp://user@host/exchange","hostKey":"SHA256:…"}]. Each user adds only their own login key.',
  },
  {
    key: 'sendReceipts',
    example: true,
    kind: 'boolean',
    displayName: 'Send signed receipts',
    explain:
      'Whether opening or refusing a package answers its sender with a signed receipt. Enabled unless disabled here.',
  },
  {
    key: 'desktopNotifications',
    example: true,
    kind: 'boolean',
    displayName: 'Desktop notifications',
    explain:
      'Whether MedSeal shows a desktop notification when a package arrives or a recipient opens a package ("New package from Dr Bob Brown": a name only, never a file name or note). Enabled unless disabled here; users may turn them off for themselves.',
  },
  {
    key: 'directoryFolder',
    example: '/Volumes/medseal-directory',
    kind: 'text',
    displayName: 'Organisation directory folder',
    explain: 'Absolute path of the organisation directory of vetted partner cards.',
  },
  {
    key: 'partnerOrganisations',
    example: [
      {
        name: 'City Clinic',
        key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        source: 'https://www.cityclinic.example/medseal/directory.medseal-directory',
      },
    ],
    kind: 'json',
    displayName: 'Partner organisations',
    explain:
      'Partner organisations whose published directories vouch for their clinicians, as a JSON list: [{"name":"City Clinic","key":"…","source":"https://…"}]. Compare each key\'s 30-digit code with the partner\'s IT by phone first (medseal org partner code). Users cannot add or remove partners when this is set.',
  },
  {
    key: 'acceptPartnerVouching',
    example: true,
    kind: 'boolean',
    displayName: 'Partner vouching counts as verified',
    explain:
      "Whether a clinician vouched for by a partner organisation's directory counts as verified where verified recipients are required (requireVerifiedRecipients). Enabled unless disabled here.",
  },
  {
    key: 'orgPublicKey',
    example: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    kind: 'text',
    displayName: 'Organisation public key',
    explain: 'The key that signs the organisation directory (base64, printed by "medseal org init").',
  },
  {
    key: 'orgRecoveryKey',
    example: undefined,
    kind: 'text',
    displayName: 'Organisation recovery key (emergency access)',
    explain:
      'The organisation recovery key printed by "medseal org recovery init" (base64). Every package and backup sealed on this machine can then also be opened by the custodians of that key together, and every recipient is shown so.',
  },
  {
    key: 'auditExportFolder',
    example: '/Library/Application Support/MedSeal/audit',
    kind: 'text',
    displayName: 'Audit export folder',
    explain: "Absolute path where the app's audit exports go, named by fingerprint and time, instead of a save dialog.",
  },
  {
    key: 'allowedRecipientDomains',
    example: ['hospital.example', 'lab.example'],
    kind: 'texts',
    displayName: 'Allowed recipient e-mail domains',
    explain:
      'Lower-case e-mail domains (one per line) that recipients must belong to; sealing for anyone else is refused. Combine with "Seal only for verified recipients".',
  },
  {
    key: 'syslogServer',
    kind: 'text',
    example: 'tls://siem.hospital.example:6514',
    displayName: 'SIEM: syslog server',
    explain:
      'Forward every audit event (who, what, when, with whom, counts; never file names, notes or patient data) with the workstation and user to this syslog server: tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT. Events wait in the audit log while the server cannot be reached and are sent in order later.',
  },
  {
    key: 'syslogFormat',
    kind: 'text',
    example: 'rfc5424',
    displayName: 'SIEM: message format',
    explain: 'rfc5424 (the event as JSON in an RFC 5424 message, the default) or cef (ArcSight Common Event Format).',
  },
  {
    key: 'syslogCaFile',
    kind: 'text',
    example: '/Library/Application Support/MedSeal/siem-ca.pem',
    displayName: 'SIEM: CA certificate file',
    explain:
      "Absolute path of the CA certificate (PEM) that must have signed a tls:// syslog server's certificate. Without it the system's CAs are used.",
  },
  {
    key: 'mailSmtpServer',
    kind: 'text',
    example: 'smtps://mail.hospital.example',
    displayName: 'E-mail: outgoing (SMTP submission) server',
    explain:
      'The server MedSeal sends packages and receipts through when a recipient is reached by no exchange: smtps://HOST[:PORT] (TLS, port 465 unless given) or smtp://HOST[:PORT] (STARTTLS required, port 587). There is no unencrypted form. Users add only their own login.',
  },
  {
    key: 'mailImapServer',
    kind: 'text',
    example: 'imaps://mail.hospital.example',
    displayName: 'E-mail: incoming (IMAP) server',
    explain:
      'The IMAP server of the users\' mailboxes, where packages and receipts sent by e-mail arrive: imaps://HOST[:PORT] (TLS, port 993 unless given) or imap://HOST[:PORT] (STARTTLS required, port 143). MedSeal reads only messages with MedSeal attachments and moves them to a "MedSeal Archive" folder once taken in.',
  },
  {
    key: 'mailCaFile',
    kind: 'text',
    example: '/Library/Application Support/MedSeal/mail-ca.pem',
    displayName: 'E-mail: CA certificate file',
    explain:
      "Absolute path of the CA certificate (PEM) that must have signed the mail servers' certificates. Without it the system's CAs are used.",
  },
  {
    key: 'mailAllowOwnServers',
    kind: 'boolean',
    example: false,
    displayName: "E-mail: allow users' own mail servers",
    explain:
      "Whether users may set up a mailbox on mail servers other than the ones set here. When disabled, users can only add their login for the organisation's servers (and cannot use e-mail at all if none are set). Enabled unless disabled here.",
  },
  {
    key: 'sentCopyFolder',
    kind: 'text',
    example: '\\\\fileserver\\medseal-sent',
    displayName: 'Sent packages: keep a copy in this folder',
    explain:
      'Absolute path of a folder where MedSeal keeps a copy of every package it sends through the exchanges (sealed: only its recipients can open it). Without it each user chooses in Settings whether to keep copies, and where.',
  },
  {
    key: 'backupFolder',
    kind: 'text',
    example: '\\\\fileserver\\medseal-backups',
    displayName: 'Automatic backups: folder',
    explain:
      'Absolute path (a network share your own backups cover) where MedSeal writes an encrypted backup of each profile while it is unlocked, named by fingerprint and time. The passphrase or the recovery kit opens a backup; nobody else can read it.',
  },
  {
    key: 'backupIntervalHours',
    kind: 'integer',
    example: 24,
    min: 1,
    max: 720,
    displayName: 'Automatic backups: hours between backups',
    explain: 'How old the newest backup may get before the next one is written (1 to 720; default 24).',
  },
  {
    key: 'backupKeep',
    kind: 'integer',
    example: 7,
    min: 1,
    max: 100,
    displayName: 'Automatic backups: how many to keep',
    explain:
      'How many backups of each profile are kept in the folder; older ones of that profile are removed (1 to 100; default 7).',
  },
];
