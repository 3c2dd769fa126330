/**
 * The managed policy as the running app applies it. A policy file with an
 * error blocks everything but the status screen (fail closed, saying what
 * is wrong and where); a valid one caps or fixes the settings it names.
 */
import { MedSealError } from '../errors/medseal-error.js';
import { WeakPassphrase } from '../identity/errors.js';
import type { PolicyState } from '../policy/load-policy.js';
import type { ContactCard } from '../identity/contact-card.js';
import { parseRecoveryCard } from '../org-recovery/recovery-key.js';
import { POLICY_DEFAULTS, type EffectivePolicy } from '../policy/policy-schema.js';

export class PolicyBlocked extends MedSealError {
  readonly code = 'POLICY_ERROR';
  readonly category = 'invalid-input' as const;
  constructor(source: string, problem: string) {
    super({ source, problem });
  }
}

export class ManagedSetting extends MedSealError {
  readonly code = 'MANAGED_BY_ORGANISATION';
  readonly category = 'invalid-input' as const;
}

/** `who`: the contact's name and organisation; `domain`: the e-mail domain the policy does not allow. */
export class RecipientNotAllowed extends MedSealError {
  readonly code = 'RECIPIENT_NOT_ALLOWED';
  readonly category = 'untrusted-party' as const;
  constructor(who: string, domain: string) {
    super({ who, domain });
  }
}

/** The policy `passphrasePackages: forbidden` refuses a package for a partner without MedSeal. */
export class PassphrasePackagesForbidden extends MedSealError {
  readonly code = 'PASSPHRASE_PACKAGES_FORBIDDEN';
  readonly category = 'untrusted-party' as const;
  constructor() {
    super({});
  }
}

/** What the gate needs of an OS keychain: whether it can protect secrets, and why not. */
interface KeychainLike {
  status(): { available: boolean; reason: string | null };
}

export class PolicyGate {
  constructor(readonly state: PolicyState) {}

  /** No policy file: every default applies, nothing is managed. */
  static none(): PolicyGate {
    return new PolicyGate({ state: 'none', source: '', effective: { ...POLICY_DEFAULTS }, managed: [] });
  }

  get effective(): EffectivePolicy {
    return this.state.state === 'error' ? { ...POLICY_DEFAULTS } : this.state.effective;
  }

  get managed(): readonly string[] {
    return this.state.state === 'error' ? [] : this.state.managed;
  }

  /** Throws PolicyBlocked while the policy file has an error. */
  assertUsable(): void {
    if (this.state.state === 'error') throw new PolicyBlocked(this.state.source, this.state.problem);
  }

  /** The organisation's longer minimum, when its policy sets one; the rule every passphrase meets is the keystore's. */
  checkPassphrase(passphrase: string): void {
    if (!this.managed.includes('minPassphraseLength')) return;
    const minimum = this.effective.minPassphraseLength;
    const length = [...passphrase].length;
    if (length < minimum) throw new WeakPassphrase({ minimum, length }, { variant: 'policy-minimum' });
  }

  /** The organisation recovery key every package and backup is also sealed for, or null (policy `orgRecoveryKey`). */
  recoveryKey(): ContactCard | null {
    const value = this.effective.orgRecoveryKey;
    return value ? parseRecoveryCard(value) : null;
  }

  clampAutoLock(minutes: number): number {
    return Math.min(minutes, this.effective.maxAutoLockMinutes);
  }

  checkAutoLock(minutes: number): void {
    const maximum = this.effective.maxAutoLockMinutes;
    if (minutes > maximum) throw new ManagedSetting({ maximum }, { variant: 'lock-minutes' });
  }

  checkRecipientDomains(recipients: readonly { readonly email: string; readonly who: string }[]): void {
    const allowed = this.effective.allowedRecipientDomains;
    if (!allowed) return;
    for (const { email, who } of recipients) {
      const domain = email.slice(email.lastIndexOf('@') + 1);
      if (!allowed.includes(domain)) throw new RecipientNotAllowed(who, domain);
    }
  }

  /** Throws unless the policy allows packages with a passphrase (for a partner without MedSeal). */
  assertPassphrasePackagesAllowed(): void {
    if (this.effective.passphrasePackages !== 'allowed') throw new PassphrasePackagesForbidden();
  }

  /** The OS keychain, closed when the organisation does not allow remembering keys. */
  gateKeychain<K extends KeychainLike>(keychain: K): K {
    if (this.effective.allowRememberOnDevice) return keychain;
    return { ...keychain, status: () => ({ available: false, reason: 'your organisation has turned this off' }) };
  }
}
