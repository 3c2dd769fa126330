/**
 * Partner organisations (docs/FORMAT.md §11): IT adds a partner once, after
 * comparing its directory key's 30-digit code by phone; MedSeal fetches the
 * partner's published directory (HTTPS, a folder, or an SFTP server a
 * profile has a login for), checks it against the pinned key and the head
 * it held (no rollback, no fork), and keeps the accepted file. Its cards are
 * then "vouched for by <partner>" until its validUntil, unless a fork alarm
 * stands. Where the policy names partners, they are the list and users
 * cannot add or remove any. Both front ends (CLI, app, `watch`, doctor) use
 * this service.
 */
import type { ContactCard } from '../identity/contact-card.js';
import { isMedSealError } from '../errors/medseal-error.js';
import { DIRECTORY_MAX_BYTES } from '../directory/directory-log.js';
import { verifyDirectory, verifyDirectoryYielding, type VerifiedDirectory } from '../directory/directory-verify.js';
import { DirectoryForked, DirectoryProblem, DirectoryRefused } from '../directory/errors.js';
import { forkAlarmOf, settlePending } from '../directory/head-gossip.js';
import { fetchDirectoryFile, type SftpLogin } from '../directory/fetch/directory-fetch.js';
import { describeDirectorySource, parseDirectorySourceAddress } from '../directory/fetch/source-address.js';
import { directoryKeyCode, isDirectoryKey, partnerIdOf, type PartnerOrganisation } from '../directory/partner.js';
import { groupDigits, normaliseSafetyNumberInput } from '../identity/fingerprint.js';
import { formatSftpAddress, parseSftpAddress } from '../exchange/sftp/sftp-address.js';
import type { PartnerState, StoredPartner } from '../store/partner-organisations.js';
import type { UnlockedProfile } from '../store/unlocked-profile.js';
import type { ProfileSession } from './profile-session.js';
import type { EffectivePolicy } from '../policy/policy-schema.js';
import { PartnerCodeMismatch, PartnerKeyInvalid, PartnerNotFound, PartnersManaged } from './errors.js';

/** A fetch older than this makes a partner "stale" (still vouching until validUntil). */
const STALE_AFTER_MS = 24 * 3_600_000;

export type PartnerStatus = 'never' | 'fresh' | 'stale' | 'expired' | 'fork';

export interface PartnerView {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  /** The key's 30-digit code, grouped, to compare with the partner's IT. */
  readonly code: string;
  readonly managed: boolean;
  readonly status: PartnerStatus;
  readonly cards: number;
  readonly head: { readonly seq: number; readonly issuedAt: string; readonly validUntil: string } | null;
  readonly fetchedAt: string | null;
  /** The last fetch's failure (an error code), or null. */
  readonly lastProblem: string | null;
  /** The fork alarm (both heads), or null. */
  readonly alarm: string | null;
}

export type RefreshOutcome = 'accepted' | 'refused' | 'unreachable';

/** One partner's card, with the name clinicians see. */
export interface PartnerCard {
  readonly card: ContactCard;
  readonly partner: string;
}

function statusOf(stored: StoredPartner | undefined, now: Date): PartnerStatus {
  const state = stored?.state;
  if (state?.alarm) return 'fork';
  if (!state?.head) return 'never';
  if (Date.parse(state.head.validUntil) <= now.getTime()) return 'expired';
  const fetched = state.fetchedAt === null ? 0 : Date.parse(state.fetchedAt);
  return state.lastProblem !== null || now.getTime() - fetched > STALE_AFTER_MS ? 'stale' : 'fresh';
}

/**
 * Each partner's checked directory, for the head it was checked under (a partner's 5,000 cards are
 * checked once per accepted head, not per look); one entry per partner, replaced by a newer head.
 */
const checked = new Map<string, { readonly head: string; readonly directory: VerifiedDirectory }>();

const headOf = (entry: StoredPartner) => `${entry.state.head!.hash}:${entry.state.head!.issuedAt}`;

function remember(entry: StoredPartner, directory: VerifiedDirectory): VerifiedDirectory {
  checked.set(entry.id, { head: headOf(entry), directory });
  return directory;
}

/**
 * The stored file must be the one its (sealed) state accepted: the file is kept unsealed beside it,
 * and an older genuine file put back in the database would vouch for a clinician revoked since.
 */
function boundToState(entry: StoredPartner, directory: VerifiedDirectory): VerifiedDirectory {
  const head = entry.state.head!;
  if (directory.head.hash !== head.hash || directory.head.issuedAt !== head.issuedAt)
    throw new DirectoryRefused('head-mismatch');
  return remember(entry, directory);
}

/** A stored partner's accepted directory (it has one, and a head), checked now or taken from the cache. */
function checkedNow(entry: StoredPartner, key: string, now: Date): VerifiedDirectory {
  const known = checked.get(entry.id);
  if (known?.head === headOf(entry)) return known.directory;
  return boundToState(entry, verifyDirectory(entry.directory!, Buffer.from(key, 'base64'), null, now));
}

/**
 * The same, checked with turns of the event loop between steps (the app's main process, `watch`);
 * throws DirectoryProblem when the stored file cannot be checked now or is not the one accepted.
 */
export async function checkedPartnerDirectory(entry: StoredPartner, key: string, now = new Date()) {
  const known = checked.get(entry.id);
  if (known?.head === headOf(entry)) return known.directory;
  return boundToState(entry, await verifyDirectoryYielding(entry.directory!, Buffer.from(key, 'base64'), null, now));
}

/** Whether a stored partner vouches now: a directory accepted, within its validUntil, no fork alarm. */
export function vouching(entry: StoredPartner | undefined, now: Date): entry is StoredPartner {
  return !!entry?.directory && !!entry.state.head && statusOf(entry, now) !== 'expired' && !entry.state.alarm;
}

/** Checks each vouching partner's directory not checked yet, without holding the event loop: looks are then quick. */
export async function checkPartnerDirectories(
  policy: EffectivePolicy,
  stored: readonly StoredPartner[],
  now = new Date(),
): Promise<void> {
  const byId = new Map(stored.map((entry) => [entry.id, entry]));
  for (const { partner } of partnersInEffect(policy, stored)) {
    const entry = byId.get(partnerIdOf(partner.key));
    if (!vouching(entry, now)) continue;
    try {
      await checkedPartnerDirectory(entry, partner.key, now);
    } catch (error) {
      if (!(error instanceof DirectoryProblem)) throw error; // partnerCardsOf leaves that partner out
    }
  }
}

/**
 * The cards partners vouch for now (accepted, within validUntil, no fork alarm), from the profile's
 * partner rows as read once by the caller (`stored`: it runs at every look at the contacts).
 */
export function partnerCardsOf(policy: EffectivePolicy, stored: readonly StoredPartner[], now = new Date()) {
  const byId = new Map(stored.map((entry) => [entry.id, entry]));
  const cards: PartnerCard[] = [];
  for (const { partner } of partnersInEffect(policy, stored)) {
    const entry = byId.get(partnerIdOf(partner.key));
    if (!vouching(entry, now)) continue;
    let directory: VerifiedDirectory;
    try {
      directory = checkedNow(entry, partner.key, now);
    } catch (error) {
      // The stored file cannot be checked now (the clock went back before its issue time) or is not
      // the one accepted (changed in the database): that partner vouches for nobody (fail closed).
      if (!(error instanceof DirectoryProblem)) throw error;
      continue;
    }
    for (const card of directory.cards) cards.push({ card, partner: partner.name });
  }
  return cards;
}

/** The partners in effect: the policy's (managed), else the ones added to this profile (`stored`, its rows). */
export function partnersInEffect(
  policy: EffectivePolicy,
  stored: readonly StoredPartner[],
): { partner: PartnerOrganisation; managed: boolean }[] {
  if (policy.partnerOrganisations.length > 0)
    return policy.partnerOrganisations.map((partner) => ({ partner, managed: true }));
  return stored.map((entry) => ({ partner: entry.partner, managed: false }));
}

export class PartnerDirectories {
  constructor(private readonly session: ProfileSession) {}

  partners(): { partner: PartnerOrganisation; managed: boolean }[] {
    return partnersInEffect(this.session.policy.effective, this.session.requireUnlocked().partners.list());
  }

  list(now = new Date()): PartnerView[] {
    const policy = this.session.policy.effective;
    const stored = this.session.requireUnlocked().partners.list();
    const byId = new Map(stored.map((entry) => [entry.id, entry]));
    const cards = new Map<string, number>();
    for (const { partner } of partnerCardsOf(policy, stored, now)) cards.set(partner, (cards.get(partner) ?? 0) + 1);
    return partnersInEffect(policy, stored).map(({ partner, managed }) => {
      const entry = byId.get(partnerIdOf(partner.key));
      const head = entry?.state.head ?? null;
      return {
        id: partnerIdOf(partner.key),
        name: partner.name,
        source: describeDirectorySource(parseDirectorySourceAddress(partner.source)),
        code: groupDigits(directoryKeyCode(partner.key)),
        managed,
        status: statusOf(entry, now),
        cards: cards.get(partner.name) ?? 0,
        head: head && { seq: head.seq, issuedAt: head.issuedAt, validUntil: head.validUntil },
        fetchedAt: entry?.state.fetchedAt ?? null,
        lastProblem: entry?.state.lastProblem ?? null,
        alarm: entry?.state.alarm ?? null,
      };
    });
  }

  /** The cards partners vouch for now. */
  vouched(now = new Date()): PartnerCard[] {
    return partnerCardsOf(this.session.policy.effective, this.session.requireUnlocked().partners.list(), now);
  }

  /**
   * Adds a partner after IT compared its key's code with the partner's IT (`code`: what they read
   * out); refused where the policy manages partners, for a malformed key or source, or a code that
   * does not match (PartnerCodeMismatch: the key may have been swapped on its way).
   */
  add(partner: PartnerOrganisation, code: string): PartnerView {
    if (this.session.policy.effective.partnerOrganisations.length > 0) throw new PartnersManaged();
    if (!isDirectoryKey(partner.key)) throw new PartnerKeyInvalid();
    parseDirectorySourceAddress(partner.source); // InvalidDirectorySource says what is wrong with it
    if (normaliseSafetyNumberInput(code) !== directoryKeyCode(partner.key)) throw new PartnerCodeMismatch();
    const profile = this.session.requireUnlocked();
    if (profile.partners.add({ name: partner.name.trim(), key: partner.key, source: partner.source }))
      profile.audit.append({ action: 'partner.added', counterparts: [partnerIdOf(partner.key)] });
    return this.list().find((view) => view.id === partnerIdOf(partner.key))!;
  }

  remove(name: string): void {
    if (this.session.policy.effective.partnerOrganisations.length > 0) throw new PartnersManaged();
    const profile = this.session.requireUnlocked();
    const entry = profile.partners.list().find((stored) => stored.partner.name === name);
    if (!entry) throw new PartnerNotFound();
    profile.partners.remove(entry.id);
    profile.audit.append({ action: 'partner.removed', counterparts: [entry.id] });
  }

  /** Fetches and checks every partner's directory (or the one named); what became of each. */
  async refresh(
    name?: string,
    now = new Date(),
  ): Promise<{ name: string; outcome: RefreshOutcome; problem: DirectoryProblem | Error | null }[]> {
    const chosen = this.partners().filter((entry) => name === undefined || entry.partner.name === name);
    if (name !== undefined && chosen.length === 0) throw new PartnerNotFound();
    const results = [];
    for (const { partner } of chosen) results.push({ name: partner.name, ...(await this.refreshOne(partner, now)) });
    return results;
  }

  private async refreshOne(
    partner: PartnerOrganisation,
    now: Date,
  ): Promise<{ outcome: RefreshOutcome; problem: DirectoryProblem | Error | null }> {
    const profile = this.session.requireUnlocked();
    const id = partnerIdOf(partner.key);
    profile.partners.add(partner); // a partner the policy names gets its row at its first fetch
    const entry = profile.partners.find(id)!;
    // The row as it is after each wait: gossip may have kept a head or raised an alarm meanwhile.
    const current = () => profile.partners.find(id)?.state ?? entry.state;
    const source = parseDirectorySourceAddress(partner.source);
    let bytes: Buffer;
    try {
      bytes = await fetchDirectoryFile(source, {
        maxBytes: DIRECTORY_MAX_BYTES,
        sftpLogin: source.kind === 'sftp' ? sftpLoginFor(profile, formatSftpAddress(source.address)) : undefined,
      });
    } catch (error) {
      if (!isMedSealError(error)) throw error; // unreachable, refused, too large, host key changed, …
      profile.partners.update(id, { ...current(), lastProblem: error.code });
      return { outcome: 'unreachable', problem: error };
    }
    const held = entry.state.head && {
      seq: entry.state.head.seq,
      hash: entry.state.head.hash,
      issuedAt: entry.state.head.issuedAt,
    };
    let verified: VerifiedDirectory;
    try {
      verified = await verifyDirectoryYielding(bytes, Buffer.from(partner.key, 'base64'), held, now);
    } catch (error) {
      if (!(error instanceof DirectoryProblem)) throw error;
      return this.refused(id, current(), error);
    }
    // Heads partners' clinicians carried beyond what was held (gossip) must be on this chain.
    const state = current();
    const settled = settlePending(verified.hashes, verified.head, { pending: state.pending ?? [] });
    if ('fork' in settled) return this.refused(id, state, settled.fork);
    const head = {
      seq: verified.head.seq,
      hash: verified.head.hash,
      issuedAt: verified.head.issuedAt,
      validUntil: verified.head.validUntil,
    };
    const accepted = { ...state, head, fetchedAt: now.toISOString(), lastProblem: null, pending: settled.pending };
    profile.partners.update(id, accepted, bytes);
    remember({ ...entry, state: accepted, directory: bytes }, verified);
    return { outcome: 'accepted', problem: null };
  }

  /** A directory refused: kept as the last problem, a fork as the alarm (one standing already stays), audited. */
  private refused(id: string, state: PartnerState, problem: DirectoryProblem) {
    const profile = this.session.requireUnlocked();
    const forked = problem instanceof DirectoryForked;
    profile.partners.update(id, {
      ...state,
      alarm: state.alarm ?? (forked ? forkAlarmOf(problem) : null),
      lastProblem: problem.code,
      pending: forked ? [] : (state.pending ?? []),
    });
    profile.recordDirectoryRefused(problem, id);
    return { outcome: 'refused' as const, problem };
  }
}

/** The login of an SFTP exchange this profile has on the same server as the user, for a directory there. */
function sftpLoginFor(profile: UnlockedProfile, address: string): SftpLogin | undefined {
  const wanted = parseSftpAddress(address);
  const exchange = profile.sftpExchanges.list().find((stored) => {
    const at = parseSftpAddress(stored.address);
    return at.host === wanted.host && at.port === wanted.port && at.user === wanted.user;
  });
  return exchange && { hostKey: exchange.hostKey, privateKey: Buffer.from(exchange.privateKey, 'utf8') };
}
