/**
 * What it takes to open a transport, as plain data: it crosses into the
 * transport worker thread (jobs/transport-worker.ts), where the app runs
 * every exchange so that network, SSH cryptography and disk never hold up
 * the main process.
 */
import { ExchangeFolder } from './exchange-folder.js';
import type { SftpAddress } from './sftp/sftp-address.js';
import { SftpTransport } from './sftp/sftp-transport.js';
import type { Transport } from './transport.js';
import type { MailAccount } from './mail/mail-account.js';
import { MailTransport } from './mail/mail-transport.js';

export type TransportConfig =
  | { readonly kind: 'folder'; readonly name: string; readonly root: string }
  | {
      readonly kind: 'sftp';
      readonly name: string;
      readonly address: SftpAddress;
      readonly hostKey: string;
      readonly privateKey: string;
    }
  | {
      readonly kind: 'email';
      readonly name: string;
      readonly account: MailAccount;
      /** The person's name for the From line. */
      readonly displayName: string | null;
    };

/** Opens a transport from its configuration (how the services get one; the app may open them in a worker instead). */
export type TransportOpener = (config: TransportConfig) => Transport;

export const openTransport: TransportOpener = (config) => {
  switch (config.kind) {
    case 'folder':
      return new ExchangeFolder(config.root, {}, config.name);
    case 'sftp':
      return new SftpTransport(config.name, {
        address: config.address,
        hostKey: config.hostKey,
        privateKey: Buffer.from(config.privateKey, 'utf8'),
      });
    case 'email':
      return new MailTransport(config.name, config.account, config.displayName);
  }
};

/** Transports opened once and kept (the app's, in worker threads): closed together when the profile locks. */
export interface TransportPool {
  readonly open: TransportOpener;
  closeAll(): Promise<void>;
}
