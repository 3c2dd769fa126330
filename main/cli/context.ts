/**
 * What every CLI command needs: the profile folder, the output, and ways to
 * unlock the identity and reach the contact list. Commands stay small.
 */
import { ContactBook } from '../contacts/contact-book.js';
import { JsonContactStorage } from '../contacts/json-contact-storage.js';
import { IdentityStore } from '../identity/identity-store.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import { ProfileFolder, resolveProfileFolder } from '../profile/profile-folder.js';
import { obtainPassphrase } from './passphrase.js';
import { Output } from './output.js';

export interface GlobalOptions {
  readonly home?: string;
  readonly json?: boolean;
  readonly passphraseFile?: string;
}

export class CliContext {
  readonly folder: ProfileFolder;
  readonly identities: IdentityStore;
  readonly out: Output;

  constructor(
    readonly options: GlobalOptions,
    /** Aborted on Ctrl-C or SIGTERM: long jobs stop and remove what they wrote. */
    readonly signal: AbortSignal = new AbortController().signal,
  ) {
    this.folder = new ProfileFolder(resolveProfileFolder(options.home));
    this.identities = new IdentityStore(this.folder);
    this.out = new Output(Boolean(options.json));
  }

  passphrase(confirm = false): Promise<string> {
    return obtainPassphrase({
      file: this.options.passphraseFile,
      envVar: 'MEDSEAL_PASSPHRASE',
      prompt: confirm ? 'New passphrase: ' : 'Passphrase: ',
      confirm,
    });
  }

  async unlock(): Promise<UnlockedIdentity> {
    await this.identities.publicCard(); // IdentityMissing before asking for a passphrase
    return this.identities.unlock(await this.passphrase());
  }

  async contacts(): Promise<ContactBook> {
    const owner = await this.identities.publicCard();
    return new ContactBook(new JsonContactStorage(this.folder.contactsPath), owner);
  }
}
