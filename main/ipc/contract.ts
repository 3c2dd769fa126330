/**
 * The one contract between the renderer and the main process: every call
 * the renderer may make (name, request schema, answer schema) and every
 * event main may send. Main validates each request against it; the preload
 * exposes exactly these calls; the renderer imports only the types.
 * Plain zod, no Electron: shared by the shell, the tests and the renderer.
 */
import { z } from 'zod';

const text = (max: number) => z.string().max(max);
const fingerprint = z.string().regex(/^[0-9a-f]{64}$/);
const token = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const none = z.strictObject({});

export const PersonView = z.strictObject({
  name: z.string(),
  organisation: z.string(),
  role: z.string(),
  email: z.string(),
  fingerprint,
  safetyDigits: z.string(),
  createdAt: z.string(),
  /** The card has an X-Wing key: packages to this person can be post-quantum (format version 2). */
  postQuantum: z.boolean(),
});

/** How a package's sender relates to the contact book (services/sender-decision.ts). */
export const SenderTrustKind = z.enum([
  'verified',
  'org-verified',
  'partner-vouched',
  'unverified',
  'key-changed',
  'key-mismatch',
  'identity-mismatch',
  'unknown',
]);
/** What the reader must do before saving: nothing, confirm an unverified sender, or face an alarm. */
export const OpenVerdict = z.enum(['trusted', 'confirm', 'alarm']);

export const ContactView = PersonView.extend({
  state: z.enum(['unverified', 'verified', 'key-changed', 'org-verified', 'partner-vouched']),
  /** For 'partner-vouched': the partner organisation that vouches for them. */
  vouchedBy: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  addedAt: z.string(),
  previousFingerprints: z.array(fingerprint),
});

/** Another contact someone could be mistaken for (contacts/look-alike.ts). */
export const LookAlikeView = z.strictObject({
  name: z.string(),
  organisation: z.string(),
  email: z.string(),
  reason: z.enum(['same-name', 'similar-email', 'mixed-script-email']),
});

/**
 * What importing a card did: the card before a change of name, organisation or role ('identity-changed'),
 * the look-alikes found, and the safety number to compare with the person (services/views.ts importView).
 */
const ImportAnswer = z.strictObject({
  outcome: z.enum(['added', 'unchanged', 'updated', 'identity-changed', 'key-changed']),
  contact: ContactView,
  previous: PersonView.nullable(),
  lookAlikes: z.array(LookAlikeView),
  mixedScriptEmail: z.boolean(),
  safetyNumber: z.string(),
});

/** What names a card that came by e-mail (services/delivery/invitations.ts: 64 bits, the start of its fingerprint). */
const offerId = z.string().regex(/^[0-9a-f]{16}$/);

/**
 * A contact card that came by e-mail: when it arrived, the card as Contacts shows cards (null when it
 * cannot be read: `problem` says why, in the shared words), and whether it is a contact already.
 */
export const CardOfferView = z.strictObject({
  id: offerId,
  arrivedAt: z.string(),
  card: PersonView.nullable(),
  known: z.boolean(),
  problem: z.string().nullable(),
});

export const FileRef = z.strictObject({ token, name: z.string(), size: z.number().int().nonnegative() });

export const ExchangeView = z.strictObject({
  name: z.string(),
  /** As people see it: "Lab partners (sftp.lab.example)". */
  label: z.string(),
  kind: z.enum(['folder', 'sftp', 'email']),
  location: z.string(),
  managed: z.boolean(),
  ready: z.boolean(),
  hostKey: z.string().nullable(),
  /** From the last poll: reachable, the server presented another key, or not reachable since `since`. */
  status: z.strictObject({
    state: z.enum(['not-checked', 'connected', 'host-key-changed', 'unreachable']),
    since: z.string().nullable(),
    message: z.string().nullable(),
  }),
});

export const InboxStatus = z.strictObject({
  checking: z.boolean(),
  lastCheckedAt: z.string().nullable(),
  exchanges: z.number().int(),
  failing: z.number().int(),
});

/** A partner organisation and its directory's state (services/partner-organisations.ts; words in texts/partner-texts.ts). */
export const PartnerOrganisationView = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** Where its directory is fetched from, as people read it. */
  source: z.string(),
  /** Its directory key's 30-digit code, grouped. */
  code: z.string(),
  /** Set by the organisation's policy (else added on this computer with the CLI). */
  managed: z.boolean(),
  status: z.enum(['never', 'fresh', 'stale', 'expired', 'fork']),
  /** Clinicians it vouches for now. */
  cards: z.number().int(),
  head: z.strictObject({ seq: z.number().int(), issuedAt: z.string(), validUntil: z.string() }).nullable(),
  fetchedAt: z.string().nullable(),
  /** The last fetch's failure: its code and words, or null. */
  lastProblem: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  /** The fork alarm's detail (both heads) in words, or null. */
  alarm: z.string().nullable(),
});

export const NotificationsView = z.strictObject({ enabled: z.boolean(), managed: z.boolean() });

/** Where copies of sent packages are kept; `folder` null when none are. */
export const SentCopyFolderView = z.strictObject({ folder: z.string().nullable(), managed: z.boolean() });

const ExchangeStep = z.enum([
  'connect',
  'host-key',
  'inbox',
  'announced',
  'writable',
  'sending',
  'receiving',
  'round-trip',
]);

/**
 * What "Set up e-mail" asks for under the policy: the card's address to start from, the servers the
 * policy sets (else null), whether the person's own servers are allowed, whether the policy names the CA.
 */
export const MailSetupView = z.strictObject({
  /** The policy allows a mailbox at all (it sets servers, or allows the person's own). */
  available: z.boolean(),
  address: z.string(),
  servers: z.strictObject({ smtp: z.string(), imap: z.string() }).nullable(),
  ownServers: z.boolean(),
  caFileSet: z.boolean(),
});

/** "Test connection": the steps that passed, and the one that failed with its words and the next step. */
export const ExchangeCheckView = z.strictObject({
  name: z.string(),
  label: z.string(),
  passed: z.array(ExchangeStep),
  failed: z.strictObject({ step: ExchangeStep, code: z.string(), message: z.string(), next: z.string() }).nullable(),
});

/** An organisation recovery key that can also open a package (FORMAT.md §2.12): whose, and whether it is the reader's own. */
export const EmergencyAccess = z.strictObject({
  organisation: z.string(),
  email: z.string(),
  fingerprint: z.string(),
  ours: z.boolean(),
});

export const SessionStatus = z.strictObject({
  state: z.enum(['policy-error', 'no-identity', 'locked', 'unlocked']),
  policy: z.strictObject({
    problem: z.string().nullable(),
    source: z.string(),
    managed: z.array(z.string()),
    requireVerifiedRecipients: z.boolean(),
    maxAutoLockMinutes: z.number().int(),
    exchangeFolders: z.array(z.string()),
    sendReceipts: z.boolean(),
    /** The organisation recovery key every package sealed here also carries, or null. */
    emergencyAccess: EmergencyAccess.nullable(),
    /** Whether Send may add a partner without MedSeal (a passphrase package). */
    passphrasePackages: z.enum(['allowed', 'forbidden']),
  }),
  profile: PersonView.nullable(),
  remember: z.strictObject({ available: z.boolean(), reason: z.string().nullable(), enabled: z.boolean() }),
  autoLockMinutes: z.number().int(),
});

export const PackagePreview = z.strictObject({
  token,
  /** For a known sender, the contact book's card (never the package's text); `claimed` is the package's card when it differs (identity-mismatch). */
  sender: PersonView.extend({
    trust: SenderTrustKind,
    verdict: OpenVerdict,
    claimed: PersonView.nullable(),
    /** For 'partner-vouched': the partner organisation that vouches for the sender. */
    vouchedBy: z.string().nullable(),
  }),
  createdAt: z.string(),
  files: z.array(z.strictObject({ name: z.string(), size: z.number() })),
  note: z.string(),
  /** The package's subject (docs/FORMAT.md §2.4), or null. */
  subject: z.string().nullable(),
  recipientCount: z.number().int(),
  totalBytes: z.number(),
  emergencyAccess: EmergencyAccess.nullable(),
  /** After opening: the sender is answered by itself (from an exchange inbox), on request ("Save receipt"), or not at all (unknown sender, possible impersonation, receipts off). */
  receipt: z.enum(['automatic', 'on-request', 'none']),
  /** When this profile last opened this very package, or null; opening it again needs `openAgain`, and sends no second receipt. */
  openedBefore: z.string().nullable(),
});

export const HistoryItem = z.strictObject({
  id: z.number().int(),
  direction: z.enum(['sent', 'received']),
  state: z.enum(['sealed', 'opened']),
  counterpart: fingerprint,
  recipients: z.array(fingerprint),
  /** Sent packages: where each recipient's copy got to (sealed → queued → delivered → withdrawn / opened / refused). */
  deliveries: z.array(
    z.strictObject({
      fingerprint,
      name: z.string().nullable(),
      status: z.enum(['sealed', 'queued', 'delivered', 'withdrawn', 'opened', 'refused']),
      at: z.string().nullable(),
      detail: z.string().nullable(),
      /** Queued (the exchange was down): when the delivery queue tries it next. */
      nextTryAt: z.string().nullable(),
      /** The partner without MedSeal of a passphrase package: "opened" was confirmed with the package's key. */
      passphrase: z.boolean(),
    }),
  ),
  fileCount: z.number().int(),
  totalBytes: z.number(),
  sealedAt: z.string(),
  recordedAt: z.string(),
  files: z.array(z.strictObject({ name: z.string(), size: z.number() })),
  subject: z.string().nullable(),
  /** A passphrase package's partner without MedSeal, as the sender typed them (docs/FORMAT.md §2.13), or null. */
  passphraseRecipient: z.strictObject({ name: z.string(), email: z.string(), phone: z.string().nullable() }).nullable(),
  /** The thread it is in (its first package's id, and how many packages it has), when it is in one of two or more. */
  thread: z.strictObject({ rootId: z.number().int(), size: z.number().int() }).nullable(),
});

/** Where a package of a thread got to (texts/thread-texts.ts). */
export const ThreadState = z.enum(['sent', 'queued', 'delivered', 'opened', 'refused', 'withdrawn', 'received']);

/** A thread: its first package's id, and every package of it, newest first, with its state and the id of the one it answers. */
export const ThreadView = z.strictObject({
  rootId: z.number().int(),
  entries: z.array(HistoryItem.extend({ threadState: ThreadState, answers: z.number().int().nullable() })),
});

/** A partner without MedSeal as the sender types them on Send (main tidies and checks them). */
const PassphraseRecipientForm = z.strictObject({
  name: text(512),
  email: text(512),
  phone: text(128).optional(),
});

/** What a package opened with a passphrase shows before anything is saved: its sender as written in it, never verified. */
export const PassphrasePackagePreview = z.strictObject({
  token,
  sender: z.strictObject({ name: z.string(), organisation: z.string(), role: z.string(), email: z.string() }),
  /** Whom the sender wrote it was for (docs/FORMAT.md §2.13), or null. */
  passphraseRecipient: z.strictObject({ name: z.string(), email: z.string(), phone: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  files: z.array(z.strictObject({ name: z.string(), size: z.number() })),
  note: z.string(),
  subject: z.string().nullable(),
  totalBytes: z.number(),
  emergencyAccess: EmergencyAccess.nullable(),
});

export const AuditStatus = z.strictObject({
  ok: z.boolean(),
  entries: z.number().int(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
});

/** Who may make a call: 'unlocked' (the default) only while an identity is unlocked; 'any' also while locked or before an identity exists. */
export type CallAccess = 'unlocked' | 'any';

const call = <Req extends z.ZodType, Ans extends z.ZodType>(
  request: Req,
  answer: Ans,
  access: CallAccess = 'unlocked',
) => ({ request, answer, access });

/**
 * What starting to open a package answers: the job, or (no job) the names the chosen folder already
 * holds, each with what "keep both" would save it as. 'open.start' and 'passphrase.open' alike.
 */
const OpenStarted = z.strictObject({
  jobId: z.string().nullable(),
  conflict: z
    .strictObject({
      folder: z.string(),
      files: z.array(z.strictObject({ index: z.number().int().nonnegative(), keptAs: z.string().nullable() })),
    })
    .nullable(),
});

export const CONTRACT = {
  'session.status': call(none, SessionStatus, 'any'),
  'session.unlock': call(z.strictObject({ passphrase: text(1024).min(1), remember: z.boolean() }), PersonView, 'any'),
  'session.unlockRemembered': call(none, PersonView, 'any'),
  'session.lock': call(none, none, 'any'),
  'session.forgetDevice': call(none, none, 'any'),
  /** The preload reports real user input (keys, pointer, wheel, touch) here, at most every few seconds: the only thing that keeps the app unlocked. */
  'session.activity': call(none, none),
  'identity.create': call(
    z.strictObject({
      name: text(128),
      organisation: text(128),
      role: text(128),
      email: text(254),
      passphrase: text(1024),
    }),
    PersonView,
    'any',
  ),
  'identity.changePassphrase': call(
    z.strictObject({ oldPassphrase: text(1024).min(1), newPassphrase: text(1024) }),
    none,
  ),
  'identity.myCard': call(none, z.strictObject({ armored: z.string(), profile: PersonView })),
  'identity.saveMyCard': call(none, z.strictObject({ saved: z.boolean() })),
  'identity.copyMyCard': call(none, none),
  /** When the newest recovery kit was made (null: none yet). */
  'identity.recoveryKitStatus': call(none, z.strictObject({ madeAt: z.string().nullable() })),
  /** A new recovery kit, saved where the person chooses; the previous kit stops working. */
  'identity.makeRecoveryKit': call(none, z.strictObject({ saved: z.boolean(), madeAt: z.string().nullable() })),
  /** Forgotten passphrase: the recovery kit's words set a new one; unlocks. */
  'identity.recover': call(z.strictObject({ code: text(2000).min(1), newPassphrase: text(1024) }), PersonView, 'any'),
  /** A backup of the whole profile, saved where the person chooses. */
  'backup.save': call(
    none,
    z.strictObject({ saved: z.boolean(), bytes: z.number().int().nullable(), createdAt: z.string().nullable() }),
  ),
  /** Chooses a backup to restore (before an identity exists) and says whose it is and when it was made. */
  'backup.pick': call(
    none,
    z
      .strictObject({
        token,
        owner: z.strictObject({
          name: z.string(),
          organisation: z.string(),
          email: z.string(),
          fingerprint: z.string(),
        }),
        createdAt: z.string(),
      })
      .nullable(),
    'any',
  ),
  /** Restores the chosen backup into this profile (which has no identity) with its passphrase or the recovery code; unlocks. */
  'backup.restore': call(
    z.strictObject({
      token,
      passphrase: text(1024).min(1).optional(),
      recoveryCode: text(2000).min(1).optional(),
      newPassphrase: text(1024).optional(),
    }),
    PersonView,
    'any',
  ),
  'contacts.list': call(none, z.array(ContactView)),
  'contacts.importText': call(z.strictObject({ text: text(64 * 1024) }), ImportAnswer),
  'contacts.importFile': call(z.strictObject({ token }), ImportAnswer),
  'contacts.safetyNumber': call(
    z.strictObject({ fingerprint }),
    z.strictObject({ safetyNumber: z.string(), mine: z.string(), theirs: z.string() }),
  ),
  'contacts.verify': call(z.strictObject({ fingerprint, safetyNumber: text(200) }), ContactView),
  'contacts.remove': call(z.strictObject({ fingerprint }), none),
  /** A key-changed contact back to its earlier keys; the rejected keys stay in its history (an alarm if used). */
  'contacts.rejectReplacement': call(z.strictObject({ fingerprint }), ContactView),
  /**
   * Sends the person's own card to a partner's address from their mailbox, with how to install MedSeal and
   * compare the safety number (MAILBOX_MISSING without a mailbox; the address is checked by main).
   */
  'contacts.invite': call(z.strictObject({ email: text(254).min(1) }), none),
  /** The cards waiting in the mailbox; `mailbox` false (and none) when no mailbox is set up. */
  'contacts.offers': call(none, z.strictObject({ mailbox: z.boolean(), offers: z.array(CardOfferView) })),
  /** Imports a card that came by e-mail as a card file is (unverified until compared), and archives its message. */
  'contacts.acceptOffer': call(z.strictObject({ id: offerId }), ImportAnswer),
  'files.pickToSeal': call(none, z.array(FileRef)),
  'files.pickPackage': call(none, FileRef.nullable()),
  'files.pickCard': call(none, FileRef.nullable()),
  'files.registerDropped': call(z.strictObject({ path: text(4096).min(1) }), FileRef),
  'seal.start': call(
    z.strictObject({
      files: z.array(token).min(1).max(10_000),
      /** Contacts; none only beside a partner without MedSeal (main refuses a package for nobody). */
      recipients: z.array(fingerprint).max(1024),
      note: text(65_536),
      confirmUnverified: z.boolean(),
      /** A one-line subject (main checks it as the format does: at most 200 characters). */
      subject: text(1000).optional(),
      /** The history id of the package this one answers (Reply). */
      replyTo: z.number().int().positive().optional(),
      /** A partner without MedSeal, as the sender typed them: the package also gets a generated passphrase. */
      passphraseRecipient: PassphraseRecipientForm.optional(),
    }),
    /** `passphrase`: the six words for the partner without MedSeal, crossing here once (shown once, kept nowhere), or null. */
    z.strictObject({ jobId: z.string().nullable(), passphrase: z.string().nullable() }),
  ),
  'open.preview': call(z.strictObject({ token }), PackagePreview),
  /**
   * Asks where to save, then saves; when that folder already has files of the package's names, no
   * job starts: `conflict` names them (by position) and the folder, and `keepBoth` on the next
   * call saves into that same folder as "name (2).ext" without asking again.
   */
  'open.start': call(
    z.strictObject({
      token,
      confirmUntrusted: z.boolean(),
      overrideAlarm: z.boolean().optional(),
      keepBoth: z.boolean().optional(),
      openAgain: z.boolean().optional(),
    }),
    OpenStarted,
  ),
  /** Adds the previewed package's unknown sender to the contacts, unverified, from the card the package carries; the same package, judged again. */
  /** `acceptLookAlike`: the person confirmed adding a sender who could be mistaken for a contact (audited); without it such a sender is refused (LOOK_ALIKE_CONTACT). */
  'open.addSender': call(
    z.strictObject({ token, acceptLookAlike: z.boolean().optional() }),
    z.strictObject({ contact: ContactView, preview: PackagePreview }),
  ),
  /**
   * Reply to a package opened here: its history id to answer, "Re: " and its subject, and its sender as
   * the recipient (null when the sender is no contact to send to: unknown, keys changed, or an alarm).
   */
  'open.replyDraft': call(
    z.strictObject({ token }),
    z.strictObject({ recipient: fingerprint.nullable(), replyTo: z.number().int(), subject: z.string() }),
  ),
  'seal.reveal': call(z.strictObject({ jobId: z.string().max(64) }), none),
  /** Shows the files a finished open job saved, in the system's file manager. */
  'open.reveal': call(z.strictObject({ jobId: z.string().max(64) }), none),
  'jobs.cancel': call(z.strictObject({ jobId: z.string().max(64) }), none),
  'history.recent': call(z.strictObject({ limit: z.number().int().min(1).max(500) }), z.array(HistoryItem)),
  'history.search': call(
    z.strictObject({ query: text(200), limit: z.number().int().min(1).max(500) }),
    z.array(HistoryItem),
  ),
  /** The whole thread of a package (its history id): the referral and every reply, newest first. */
  'history.thread': call(z.strictObject({ id: z.number().int().positive() }), ThreadView),
  /**
   * Takes a sent package (its history id) back from every exchange inbox where it still waits. Per
   * recipient: withdrawn, already picked up (it cannot be taken back), left (a file under its name
   * that is not provably ours), or not found; `problems`: exchanges that could not be reached, in words.
   */
  'history.withdraw': call(
    z.strictObject({ id: z.number().int().positive() }),
    z.strictObject({
      recipients: z.array(
        z.strictObject({
          fingerprint,
          name: z.string().nullable(),
          outcome: z.enum(['withdrawn', 'picked-up', 'left', 'not-found', 'mailed']),
        }),
      ),
      problems: z.array(z.string()),
    }),
  ),
  'audit.verify': call(none, AuditStatus),
  'audit.export': call(z.strictObject({ format: z.enum(['csv', 'jsonl']) }), z.strictObject({ saved: z.boolean() })),
  /** Adds a shared folder chosen in a native dialog, with the name people will see (else its path). */
  'exchange.addFolder': call(z.strictObject({ name: text(64).optional() }), z.array(z.string())),
  /** What waits in the inbox: each package's sender (as the contact book knows them) and trust, or why it cannot be read. */
  'exchange.inbox': call(
    none,
    z.array(
      FileRef.extend({
        // null: the package cannot be offered (the problem says why); it is listed all the same.
        token: token.nullable(),
        arrivedAt: z.string(),
        /** The exchanges it waits in (one entry per package, however many exchanges it came through). */
        exchanges: z.array(z.string()),
        sender: z
          .strictObject({
            name: z.string(),
            organisation: z.string(),
            trust: SenderTrustKind,
            vouchedBy: z.string().nullable(),
          })
          .nullable(),
        problem: z.string().nullable(),
      }),
    ),
  ),
  'exchange.list': call(none, z.array(ExchangeView)),
  /** How the inbox was looked at: now, or when last, through how many exchanges, how many failing. */
  'exchange.inboxStatus': call(none, InboxStatus),
  /** The host key an SFTP server presents, for the person to compare with IT's before adding it. */
  'exchange.checkSftp': call(z.strictObject({ url: text(600) }), z.strictObject({ hostKey: z.string() })),
  /** Adds an SFTP server with the confirmed host key; the login key file is chosen in a native dialog. */
  'exchange.addSftp': call(
    z.strictObject({ url: text(600), hostKey: text(60), name: text(64).optional() }),
    z.array(ExchangeView),
  ),
  'exchange.remove': call(z.strictObject({ name: text(4096) }), z.array(ExchangeView)),
  'exchange.mailSetup': call(none, MailSetupView),
  /**
   * Sets up (or replaces) the mailbox for delivery by e-mail (servers omitted: the policy's), saved
   * only after both logins worked over verified TLS. The password crosses here once and is never
   * answered back; `chooseCaFile`: the servers' CA certificate is chosen in a native dialog
   * (cancelled: nothing saved).
   */
  'exchange.addMail': call(
    z.strictObject({
      address: text(254).min(3).optional(),
      smtp: text(600).min(1).optional(),
      imap: text(600).min(1).optional(),
      user: text(320).min(1).optional(),
      password: text(1024).min(1),
      chooseCaFile: z.boolean(),
    }),
    /** The mailbox as Settings lists it; null when the dialog was cancelled (nothing saved). */
    z.strictObject({ added: ExchangeView.nullable() }),
  ),
  /** Tries one exchange as a delivery would: connect, host key, own inbox there, announced, writable. */
  'exchange.test': call(z.strictObject({ name: text(4096) }), ExchangeCheckView),
  /** A signed "opened" receipt for the sender of a package opened from a file, saved where the person chooses. */
  'open.saveReceipt': call(z.strictObject({ token }), z.strictObject({ saved: z.boolean() })),
  /** Whether every chosen recipient can be reached through an exchange (then the action is "Seal and send"). */
  'seal.reachability': call(
    z.strictObject({ recipients: z.array(fingerprint).min(1).max(100) }),
    z.strictObject({ unreached: z.array(fingerprint) }),
  ),
  'seal.startDrag': call(z.strictObject({ jobId: z.string().max(64) }), none),
  /** What to look at twice before sealing: a first package to someone, a recipient who looks like another contact. */
  'seal.cautions': call(
    z.strictObject({ recipients: z.array(fingerprint).min(1).max(100) }),
    z.array(
      z.strictObject({
        fingerprint: z.string(),
        firstPackage: z.boolean(),
        lookAlikes: z.array(LookAlikeView),
      }),
    ),
  ),
  'seal.deliver': call(
    z.strictObject({ jobId: z.string().max(64) }),
    z.strictObject({
      /** `kind` 'email': sent to the address on the recipient's card (`location`); else into their inbox on `exchange`. */
      delivered: z.array(
        z.strictObject({
          name: z.string(),
          exchange: z.string(),
          kind: z.enum(['folder', 'sftp', 'email']),
          location: z.string(),
        }),
      ),
      unreached: z.array(z.string()),
      problems: z.array(z.string()),
      /** Inboxes not used, and deliveries to an exchange the recipient never answered through, in words. */
      notices: z.array(z.string()),
      /** Where a copy of the package is kept ("Show in folder"); null when it went only to the exchanges. */
      keptIn: z.string().nullable(),
      /** The package waits only in the profile: "Save the package…" puts it where the person chooses. */
      canSave: z.boolean(),
      /** Recipients whose exchange was down: queued, tried again by the app (their notice is in `notices`). */
      queued: z.array(z.strictObject({ name: z.string(), exchange: z.string(), nextTryAt: z.string() })),
    }),
  ),
  /** Saves a sealed package where the person chooses (for a recipient no exchange reached); never over a file. */
  'seal.saveCopy': call(z.strictObject({ jobId: z.string().max(64) }), z.strictObject({ saved: z.boolean() })),
  /** Whether Send goes through the exchanges (one is set up and ready): the Send button's label. */
  'exchange.sendsThrough': call(none, z.strictObject({ sends: z.boolean() })),
  /** Where a copy of every sent package is kept: the organisation's folder (managed), the user's choice, or none. */
  'settings.sentCopies': call(none, SentCopyFolderView),
  /** Chooses the folder for copies of sent packages in a native dialog (refused where the policy sets one). */
  'settings.chooseSentCopyFolder': call(none, SentCopyFolderView),
  'settings.stopSentCopies': call(none, SentCopyFolderView),
  /** Desktop notifications for arrivals and receipts: on or off, and whether the organisation decided. */
  'settings.notifications': call(none, NotificationsView),
  'settings.setNotifications': call(z.strictObject({ enabled: z.boolean() }), NotificationsView),
  /** Partner organisations and their directories' state (read-only: IT adds them with the CLI). */
  'partners.list': call(none, z.array(PartnerOrganisationView)),
  /** "Refresh now": fetches and checks every partner's directory (as the hourly refresh does), then lists them. */
  'partners.refresh': call(none, z.array(PartnerOrganisationView)),
  /**
   * Checks what the sender typed for a partner without MedSeal beside the chosen contacts, as sealing
   * will: `problem` names the field (name, email, phone) or 'recipients' (the policy forbids it, a
   * contact has no post-quantum key) with the service's words; `recipient` is them tidied.
   */
  'seal.checkPassphraseRecipient': call(
    PassphraseRecipientForm.extend({ recipients: z.array(fingerprint).max(1024) }),
    z.strictObject({
      recipient: z.strictObject({ name: z.string(), email: z.string(), phone: z.string().nullable() }).nullable(),
      problem: z
        .strictObject({
          field: z.enum(['name', 'email', 'phone', 'recipients']),
          code: z.string(),
          message: z.string(),
        })
        .nullable(),
    }),
  ),
  /** Lock screen and first run → "Open a package with a passphrase": no identity or unlock needed, nothing recorded. */
  'passphrase.pickPackage': call(none, FileRef.nullable(), 'any'),
  /** The six words cross here once; the header is verified and the sender shown as written in the package. */
  'passphrase.preview': call(z.strictObject({ token, words: text(1000).min(1) }), PassphrasePackagePreview, 'any'),
  /** Asks for a folder and saves the previewed package's files there (`conflict` and `keepBoth` as in 'open.start'). */
  'passphrase.open': call(z.strictObject({ token, keepBoth: z.boolean().optional() }), OpenStarted, 'any'),
  /** Forgets a previewed passphrase package (its key wiped). */
  'passphrase.discard': call(z.strictObject({ token }), none, 'any'),
  /** Shows the first file a passphrase open saved, in the system's file manager. */
  'passphrase.reveal': call(z.strictObject({ jobId: z.string().max(64) }), none, 'any'),
  /** Saves a copy of MedSeal Reader (the page a partner without MedSeal opens the package with) where the person chooses. */
  'reader.save': call(none, z.strictObject({ saved: z.boolean() })),
  'app.about': call(none, z.strictObject({ version: z.string(), dataFolder: z.string() }), 'any'),
  'settings.setAutoLock': call(
    z.strictObject({ minutes: z.number().int().min(1).max(60) }),
    z.strictObject({ minutes: z.number().int() }),
  ),
} as const;

export type Channel = keyof typeof CONTRACT;
export type RequestOf<C extends Channel> = z.input<(typeof CONTRACT)[C]['request']>;
export type AnswerOf<C extends Channel> = z.output<(typeof CONTRACT)[C]['answer']>;
export const CHANNELS = Object.keys(CONTRACT) as Channel[];

/**
 * Channels only the preload itself calls, never the page through `call`: a dropped file's path
 * (resolved from a real File by the preload) and real user input. The page cannot name a path
 * or fake activity.
 */
export const PRELOAD_ONLY_CHANNELS: readonly Channel[] = ['files.registerDropped', 'session.activity'];

/** Prefix of every ipcMain channel name, so no other code's channel can collide. */
export const CHANNEL_PREFIX = 'medseal:';

export const JobProgress = z.strictObject({
  jobId: z.string(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  bytesPerSecond: z.number(),
});
/** The categories of main/errors/medseal-error.ts: what kind of failure, for the UI to react to without a list of codes. */
export const ErrorCategory = z.enum([
  'usage',
  'wrong-passphrase',
  'not-a-recipient',
  'damaged-package',
  'untrusted-party',
  'io',
  'invalid-input',
  'conflict',
  'cancelled',
  'internal',
]);
export const IpcError = z.strictObject({ code: z.string(), category: ErrorCategory, message: z.string() });

export const JobFinished = z.strictObject({
  jobId: z.string(),
  kind: z.enum(['seal', 'open']),
  ok: z.boolean(),
  error: IpcError.nullable(),
  fileCount: z.number().int().nullable(),
  /** An open job: the name of the folder the files were saved in (shown with "Show in folder"). */
  savedIn: z.string().nullable(),
  /** An open job that kept both: each file (by position) saved under a numbered name, and that name. */
  renamed: z.array(z.strictObject({ index: z.number().int().nonnegative(), savedAs: z.string() })),
});

export const EVENTS = {
  'job.progress': JobProgress,
  'job.finished': JobFinished,
  'session.locked': z.strictObject({ reason: z.enum(['user', 'idle', 'os-lock', 'suspend']) }),
  'app.fileOpened': z.strictObject({ kind: z.enum(['package', 'card']), file: FileRef }),
  'exchange.inboxChanged': z.strictObject({ count: z.number().int() }),
  'exchange.inboxStatus': InboxStatus,
  /** How many contact cards wait in the mailbox changed (the poll counts them; Contacts then looks at them). */
  'exchange.cardsOffered': z.strictObject({ count: z.number().int() }),
  /** Receipts came in: a sent package's recipients changed status. */
  'exchange.receiptsArrived': z.strictObject({ accepted: z.number().int(), refused: z.number().int() }),
  /** The delivery queue delivered, or gave up on, a queued package: sent packages' statuses changed. */
  'delivery.queueChanged': z.strictObject({ delivered: z.number().int(), queued: z.number().int() }),
  /** A refresh of partner directories ended (`alarms`: partners under a fork alarm now): Settings lists them again. */
  'partners.changed': z.strictObject({ alarms: z.number().int() }),
} as const;

export type EventName = keyof typeof EVENTS;
export type EventOf<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** What every call returns over IPC: a value, or a typed error with a message for people. Never a stack. */
export type IpcResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: z.output<typeof IpcError> };
