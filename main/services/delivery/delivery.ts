/**
 * "Send" that delivers: a sealed package goes to each recipient's inbox on
 * every exchange where that recipient has one (their MedSeal made it: they
 * look there), receipts go back the same way, and what was delivered is
 * recorded per recipient with an audit event. One exchange failing (host
 * key changed, server down) does not stop the others; the caller learns
 * who was reached, who was not, and why.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transport, TransportKind } from '../../exchange/transport.js';
import { recordUnlessLocked } from '../send.js';
import type { ProfileSession } from '../profile-session.js';
import type { Exchanges } from './exchanges.js';

export interface Delivered {
  readonly recipient: string;
  readonly exchange: string;
  readonly kind: TransportKind;
  readonly location: string;
}

export interface DeliveryOutcome {
  readonly delivered: readonly Delivered[];
  /** Recipients no exchange reached (no inbox of theirs on any, or their exchange failed). */
  readonly unreached: readonly string[];
  /** Exchanges that failed, with why (the recipients they would have reached are in `unreached`). */
  readonly problems: readonly { readonly exchange: string; readonly error: Error }[];
}

export class DeliveryService {
  constructor(
    private readonly session: ProfileSession,
    private readonly exchanges: Exchanges,
  ) {}

  /** Delivers a sealed package (its header hash names the delivery, so a retry resumes it). */
  async deliverPackage(file: string, packageHash: string, recipients: readonly string[], onProgress?: (sentBytes: number) => void): Promise<DeliveryOutcome> {
    const outcome = await this.deliver(file, 'package', packageHash.slice(0, 32), recipients, onProgress);
    const byExchange = new Map<string, Delivered[]>();
    for (const entry of outcome.delivered) byExchange.set(entry.exchange, [...(byExchange.get(entry.exchange) ?? []), entry]);
    recordUnlessLocked(() => {
      const profile = this.session.requireUnlocked();
      for (const [name, entries] of byExchange)
        profile.recordDelivered(
          packageHash,
          entries.map((entry) => entry.recipient),
          { name, kind: entries[0]!.kind },
        );
    });
    return outcome;
  }

  /** Sends a receipt to the package's sender through every exchange that reaches them; true when one did. */
  async deliverReceipt(receipt: Buffer, sender: string): Promise<boolean> {
    const outbox = join(this.session.folder.path, 'outbox');
    await mkdir(outbox, { recursive: true, mode: 0o700 });
    const id = createHash('sha256').update(receipt).digest('hex').slice(0, 32);
    const file = join(outbox, `${id}.medseal-receipt`);
    await writeFile(file, receipt, { mode: 0o600 });
    try {
      return (await this.deliver(file, 'receipt', id, [sender])).delivered.length > 0;
    } finally {
      await rm(file, { force: true });
    }
  }

  private async deliver(file: string, kind: 'package' | 'receipt', deliveryId: string, recipients: readonly string[], onProgress?: (sentBytes: number) => void): Promise<DeliveryOutcome> {
    const transports = await this.exchanges.open();
    const delivered: Delivered[] = [];
    const problems: { exchange: string; error: Error }[] = [];
    try {
      for (const transport of transports) {
        try {
          const reached = await reachedBy(transport, recipients);
          if (reached.length === 0) continue;
          for (const report of await transport.deliver(file, kind, deliveryId, reached, onProgress)) {
            delivered.push({ recipient: report.recipient, exchange: transport.name, kind: transport.kind, location: report.location });
          }
        } catch (error) {
          problems.push({ exchange: transport.name, error: error instanceof Error ? error : new Error(String(error)) });
        }
      }
    } finally {
      await Promise.all(transports.map((transport) => transport.close().catch(() => undefined)));
    }
    const unreached = recipients.filter((recipient) => !delivered.some((entry) => entry.recipient === recipient));
    return { delivered, unreached, problems };
  }
}

async function reachedBy(transport: Transport, recipients: readonly string[]): Promise<string[]> {
  const reached: string[] = [];
  for (const recipient of recipients) if (await transport.reaches(recipient)) reached.push(recipient);
  return reached;
}
