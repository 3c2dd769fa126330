/**
 * Referral threads, for the app's Activity and Reply and for `medseal seal
 * --reply-to` and `packages list --thread`: naming a package (its number
 * or the start of its header hash), and the thread a package belongs to,
 * from the history. A package joins the thread of the one it answers
 * (`replyTo`, docs/FORMAT.md §2.4) only when that package is in this
 * profile's history and the answer's sender was its sender or one of its
 * recipients: anyone who held a package file can name its hash, and a
 * stranger's package claiming to answer a referral stays on its own.
 */
import { fingerprintHex } from '../identity/fingerprint.js';
import type { PackageSummary } from '../store/package-history.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import { replySubject, type ThreadState } from '../texts/thread-texts.js';
import type { OpenVerdict } from './sender-decision.js';
import { recipientStatuses, type NamedRecipientStatus } from './delivery/recipient-status.js';
import { PackageAmbiguous, UnknownPackage } from './errors.js';

export interface ThreadEntry {
  readonly summary: PackageSummary;
  readonly state: ThreadState;
  /** Sent packages: each recipient's status (services/delivery/recipient-status.ts); received: none. */
  readonly deliveries: readonly NamedRecipientStatus[];
  /** The number of the package of this thread it answers; null for the thread's first package. */
  readonly answers: number | null;
}

export interface Thread {
  /** The number of the thread's first package (the referral). */
  readonly rootId: number;
  /** Every package of the thread, newest first (as Activity orders the history). */
  readonly entries: readonly ThreadEntry[];
}

/** A thread deeper or wider than this is cut there (only a forged history could make one). */
const MAX_THREAD = 10_000;
/** `#12` (any number), or a bare number of up to 7 digits (8 or more are read as the start of a hash). */
const NUMBER = /^#(\d{1,15})$|^(\d{1,7})$/;
const HASH_PREFIX = /^[0-9a-fA-F]{8,64}$/;

/**
 * The header hash of the package `ref` names: its number as `packages list` shows it (`#12` or
 * `12`), or at least 8 leading hex digits of its header hash (an inbox id is one). UnknownPackage
 * when none, PackageAmbiguous when the digits fit several.
 */
export function resolvePackageRef(profile: UnlockedProfile, ref: string): string {
  const text = ref.trim();
  const number = NUMBER.exec(text);
  if (number) {
    const hash = profile.history.threads.hashOf(Number(number[1] ?? number[2]));
    if (hash === null) throw new UnknownPackage();
    return hash;
  }
  if (!HASH_PREFIX.test(text)) throw new UnknownPackage();
  const found = profile.history.threads.hashesStartingWith(text.toLowerCase(), 2);
  if (found.length > 1) throw new PackageAmbiguous();
  if (found.length === 0) throw new UnknownPackage();
  return found[0]!;
}

/** The thread of the package `ref` names (resolvePackageRef), with each package's state. */
export async function threadOf(profile: UnlockedProfile, ref: string): Promise<Thread> {
  const rows = profile.history.byIds(profile.history.threads.rowsWithHash(resolvePackageRef(profile, ref)));
  const links = new ThreadLinks(profile);
  const { root, members } = links.threadFrom(rows[0]!);
  const summaries = profile.history.byIds([...members.keys()]);
  const statuses = await recipientStatuses(profile, summaries);
  return {
    rootId: root.id,
    entries: summaries.map((summary) => {
      const deliveries = statuses.get(summary.id) ?? [];
      return {
        summary,
        state: summary.direction === 'received' ? 'received' : sentState(deliveries),
        deliveries,
        answers: members.get(summary.id) ?? null,
      };
    }),
  };
}

/**
 * For the packages of a listing: which thread each belongs to (its first package's number) and how
 * many packages that thread has, for packages in a thread of two or more; others are not in the map.
 */
export function threadsOf(
  profile: UnlockedProfile,
  summaries: readonly PackageSummary[],
): Map<number, { rootId: number; size: number }> {
  const links = new ThreadLinks(profile);
  const found = new Map<number, { rootId: number; size: number }>();
  for (const summary of summaries) {
    if (found.has(summary.id)) continue;
    const { root, members } = links.threadFrom(summary);
    if (members.size < 2) continue;
    for (const id of members.keys()) found.set(id, { rootId: root.id, size: members.size });
  }
  return found;
}

/**
 * What a reply to a package opened here starts with (the app's Reply): the package's history
 * number to answer, "Re: " and its subject, and its sender as the recipient, but only a contact
 * with exactly the keys that signed it, sendable (not key-changed), and no alarm on the package:
 * a reply never goes to keys the reader was warned about. UnknownPackage when it was not opened here.
 */
export async function replyDraftFor(
  profile: UnlockedProfile,
  opened: {
    readonly packageHash: string;
    readonly senderFingerprint: string;
    readonly verdict: OpenVerdict;
    readonly subject: string | null;
  },
): Promise<{ recipient: string | null; replyTo: number; subject: string }> {
  const received = profile.history
    .byIds(profile.history.threads.rowsWithHash(opened.packageHash))
    .find((summary) => summary.direction === 'received');
  if (!received) throw new UnknownPackage();
  const contact = (await profile.contacts.list()).find(
    (candidate) => candidate.fingerprint === opened.senderFingerprint && candidate.state !== 'key-changed',
  );
  return {
    recipient: contact && opened.verdict !== 'alarm' ? contact.fingerprint : null,
    replyTo: received.id,
    subject: replySubject(opened.subject),
  };
}

/** A sent package's state in a thread, from its recipients': refused by anyone, opened by all, withdrawn from all, delivered, queued, or only sent. */
export function sentState(deliveries: readonly NamedRecipientStatus[]): ThreadState {
  const statuses = deliveries.map((entry) => entry.status);
  if (statuses.includes('refused')) return 'refused';
  if (statuses.length > 0 && statuses.every((status) => status === 'opened')) return 'opened';
  if (statuses.length > 0 && statuses.every((status) => status === 'withdrawn')) return 'withdrawn';
  if (statuses.some((status) => status === 'delivered' || status === 'opened')) return 'delivered';
  if (statuses.includes('queued')) return 'queued';
  return 'sent';
}

/** Following `replyTo` up and down the history, counting only links between the parties of a package. */
class ThreadLinks {
  private readonly me: string;

  constructor(private readonly profile: UnlockedProfile) {
    this.me = fingerprintHex(profile.identity.card.fingerprint);
  }

  /** The thread's first package, and every member by number with the number of the one it answers. */
  threadFrom(start: PackageSummary): { root: PackageSummary; members: Map<number, number | null> } {
    let root = start;
    const seen = new Set([start.id]);
    for (let parent = this.parentOf(root); parent && !seen.has(parent.id) && seen.size < MAX_THREAD;) {
      seen.add(parent.id);
      root = parent;
      parent = this.parentOf(root);
    }
    const members = new Map<number, number | null>([[root.id, null]]);
    for (let level = [root]; level.length > 0 && members.size < MAX_THREAD;) {
      const byHash = new Map(level.map((summary) => [summary.packageHash, summary]));
      const replies = this.profile.history.byIds(this.profile.history.threads.repliesTo([...byHash.keys()]));
      level = [];
      for (const reply of replies) {
        const parent = byHash.get(reply.replyTo!);
        if (!parent || members.has(reply.id) || !this.isParty(this.senderOf(reply), parent)) continue;
        members.set(reply.id, parent.id);
        level.push(reply);
      }
    }
    return { root, members };
  }

  /** The package `summary` answers, when it is in the history and its sender was a party to it. */
  private parentOf(summary: PackageSummary): PackageSummary | null {
    if (summary.replyTo === null) return null;
    const from = this.senderOf(summary);
    const candidates = this.profile.history.byIds(this.profile.history.threads.rowsWithHash(summary.replyTo));
    return candidates.find((candidate) => this.isParty(from, candidate)) ?? null;
  }

  private senderOf(summary: PackageSummary): string {
    return summary.direction === 'sent' ? this.me : summary.counterpart;
  }

  private isParty(fingerprint: string, summary: PackageSummary): boolean {
    return this.senderOf(summary) === fingerprint || summary.recipients.includes(fingerprint);
  }
}
