/**
 * A transport that runs in its own worker thread (jobs/transport-worker.ts):
 * the same interface as the folder and SFTP transports, each call forwarded
 * as a message. The app opens every exchange this way; the CLI, a
 * short-lived process, opens them in-process. A failure comes back as a
 * JobFailed with the transport error's code, category and words.
 */
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import type { TransportConfig, TransportOpener, TransportPool } from '../exchange/transport-config.js';
import { formatSftpAddress } from '../exchange/sftp/sftp-address.js';
import type {
  DeliveryReport,
  FetchedItem,
  ItemKind,
  Transport,
  TransportKind,
  WaitingItem,
  WithdrawReport,
} from '../exchange/transport.js';
import type { FileIdentity } from '../fs/publish-file.js';
import type { ExchangeBinding, FoundAnnouncement } from '../exchange/inbox-announcement.js';
import { JobFailed } from '../services/package-runner.js';
import type { TransportMethod, TransportReply, TransportRequest } from './transport-protocol.js';

export class WorkerTransport implements Transport {
  readonly name: string;
  readonly kind: TransportKind;
  readonly location: string;
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; onProgress?: (sentBytes: number) => void }
  >();
  private nextId = 1;
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  constructor(workerScript: string, config: TransportConfig) {
    this.name = config.name;
    this.kind = config.kind;
    this.location =
      config.kind === 'folder'
        ? config.root
        : config.kind === 'sftp'
          ? formatSftpAddress(config.address)
          : config.account.address;
    this.worker = new Worker(workerScript);
    this.worker.unref();
    this.worker.on('message', (reply: TransportReply) => this.answer(reply));
    this.worker.on('error', () => this.failAll('exchange-failed'));
    this.worker.on('exit', () => this.failAll('exchange-stopped'));
    this.post({ type: 'open', config });
  }

  binding(create: boolean): Promise<ExchangeBinding | null> {
    return this.call('binding', [create]) as Promise<ExchangeBinding | null>;
  }

  claimInbox(fingerprint: string): Promise<number | null> {
    return this.call('claimInbox', [fingerprint]) as Promise<number | null>;
  }

  hasInbox(fingerprint: string): Promise<boolean> {
    return this.call('hasInbox', [fingerprint]) as Promise<boolean>;
  }

  announcement(fingerprint: string): Promise<FoundAnnouncement | null> {
    return this.call('announcement', [fingerprint]) as Promise<FoundAnnouncement | null>;
  }

  async announce(fingerprint: string, announcement: Uint8Array): Promise<void> {
    await this.call('announce', [fingerprint, announcement]);
  }

  deliver(
    file: string,
    kind: ItemKind,
    deliveryId: string,
    recipients: readonly string[],
    onProgress?: (sentBytes: number) => void,
    addresses?: Readonly<Record<string, string>>,
  ): Promise<DeliveryReport[]> {
    return this.call('deliver', [file, kind, deliveryId, [...recipients], { ...addresses }], onProgress) as Promise<
      DeliveryReport[]
    >;
  }

  waiting(fingerprint: string): Promise<WaitingItem[]> {
    return this.call('waiting', [fingerprint]) as Promise<WaitingItem[]>;
  }

  async fetch(fingerprint: string, item: WaitingItem, downloads: string): Promise<FetchedItem> {
    const { path, downloaded } = (await this.call('fetch', [fingerprint, item, downloads])) as {
      path: string;
      downloaded: boolean;
    };
    return { path, release: () => (downloaded ? rm(path, { force: true }) : Promise.resolve()) };
  }

  archive(fingerprint: string, item: WaitingItem, opened: FileIdentity | null): Promise<boolean> {
    return this.call('archive', [fingerprint, item, opened]) as Promise<boolean>;
  }

  withdraw(deliveryId: string, packageHash: string, recipients: readonly string[]): Promise<WithdrawReport[]> {
    return this.call('withdraw', [deliveryId, packageHash, [...recipients]]) as Promise<WithdrawReport[]>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.call('close', []).catch(() => {
      // The connection was already gone (the server dropped it, the worker failed): ending the worker ends what is left.
    });
    this.closed = true;
    await this.worker.terminate();
  }

  private call(
    method: TransportMethod,
    args: readonly unknown[],
    onProgress?: (sentBytes: number) => void,
  ): Promise<unknown> {
    if (this.closed)
      return Promise.reject(new JobFailed('TRANSPORT_UNREACHABLE', 'io', { variant: 'closed', params: {} }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.post({ type: 'call', id, method, args });
    });
  }

  private post(message: TransportRequest): void {
    this.worker.postMessage(message);
  }

  private answer(reply: TransportReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    if (reply.type === 'progress') return waiting.onProgress?.(reply.sentBytes);
    this.pending.delete(reply.id);
    if (reply.type === 'result') waiting.resolve(reply.value);
    else waiting.reject(new JobFailed(reply.code, reply.category, reply.text));
  }

  private failAll(variant: 'exchange-failed' | 'exchange-stopped'): void {
    this.closed = true;
    for (const waiting of this.pending.values())
      waiting.reject(new JobFailed('INTERNAL', 'internal', { variant, params: {} }));
    this.pending.clear();
  }
}

/**
 * The app's transports: one worker per exchange configuration, kept open across uses. The inbox
 * is polled every few seconds; a new thread and a new SSH session each time would cost this
 * workstation and the partner's server for nothing. A caller's close() leaves it open; closeAll()
 * (when the profile locks) ends them all, and the next use starts afresh.
 */
export class KeptWorkerTransports implements TransportPool {
  private readonly kept = new Map<string, WorkerTransport>();

  constructor(private readonly workerScript: string) {}

  readonly open: TransportOpener = (config) => {
    const key = createHash('sha256').update(JSON.stringify(config)).digest('hex');
    let transport = this.kept.get(key);
    if (!transport || transport.isClosed) {
      transport = new WorkerTransport(this.workerScript, config);
      this.kept.set(key, transport);
    }
    const shared = transport;
    return {
      name: shared.name,
      kind: shared.kind,
      location: shared.location,
      binding: (create) => shared.binding(create),
      claimInbox: (fingerprint) => shared.claimInbox(fingerprint),
      hasInbox: (fingerprint) => shared.hasInbox(fingerprint),
      announcement: (fingerprint) => shared.announcement(fingerprint),
      announce: (fingerprint, announcement) => shared.announce(fingerprint, announcement),
      deliver: (file, kind, deliveryId, recipients, onProgress, addresses) =>
        shared.deliver(file, kind, deliveryId, recipients, onProgress, addresses),
      waiting: (fingerprint) => shared.waiting(fingerprint),
      fetch: (fingerprint, item, downloads) => shared.fetch(fingerprint, item, downloads),
      archive: (fingerprint, item, opened) => shared.archive(fingerprint, item, opened),
      withdraw: (deliveryId, packageHash, recipients) => shared.withdraw(deliveryId, packageHash, recipients),
      close: () => Promise.resolve(), // kept for the next use
    };
  };

  async closeAll(): Promise<void> {
    const all = [...this.kept.values()];
    this.kept.clear();
    await Promise.all(all.map((transport) => transport.close()));
  }
}
