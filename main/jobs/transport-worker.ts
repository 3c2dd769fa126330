/**
 * Worker-thread entry for one exchange (bundled to its own file, like
 * package-worker.cjs): it opens the transport from its configuration and
 * carries out each call WorkerTransport forwards, so SSH cryptography,
 * network waits and disk I/O of deliveries and downloads never run on the
 * app's main thread. Errors go back as code, category and the plain
 * message (never a stack or a path beyond what the message says).
 */
import { parentPort } from 'node:worker_threads';
import { dirname } from 'node:path';
import { isMedSealError } from '../errors/medseal-error.js';
import { openTransport } from '../exchange/transport-config.js';
import type { FetchedItem, ItemKind, Transport, WaitingItem } from '../exchange/transport.js';
import type { FileIdentity } from '../fs/publish-file.js';
import type { TransportReply, TransportRequest } from './transport-protocol.js';

const port = parentPort;
if (!port) throw new Error('transport-worker must run in a worker thread');
const send = (message: TransportReply) => port.postMessage(message);
let transport: Transport | undefined;

async function call(id: number, method: string, args: readonly unknown[]): Promise<unknown> {
  if (!transport) throw new Error('no transport');
  switch (method) {
    case 'binding':
      return transport.binding(args[0] as boolean);
    case 'claimInbox':
      return transport.claimInbox(args[0] as string);
    case 'hasInbox':
      return transport.hasInbox(args[0] as string);
    case 'announcement':
      return transport.announcement(args[0] as string);
    case 'announce':
      return transport.announce(args[0] as string, args[1] as Uint8Array);
    case 'deliver':
      return transport.deliver(
        args[0] as string,
        args[1] as ItemKind,
        args[2] as string,
        args[3] as string[],
        (sentBytes) => send({ type: 'progress', id, sentBytes }),
        args[4] as Record<string, string> | undefined,
      );
    case 'waiting':
      return transport.waiting(args[0] as string);
    case 'fetch': {
      const fetched: FetchedItem = await transport.fetch(args[0] as string, args[1] as WaitingItem, args[2] as string);
      return { path: fetched.path, downloaded: dirname(fetched.path) === args[2] };
    }
    case 'archive':
      return transport.archive(args[0] as string, args[1] as WaitingItem, args[2] as FileIdentity | null);
    case 'withdraw':
      return transport.withdraw(args[0] as string, args[1] as string, args[2] as string[]);
    case 'close':
      return transport.close();
    default:
      throw new Error('unknown transport method');
  }
}

port.on('message', (message: TransportRequest) => {
  if (message.type === 'open') {
    transport = openTransport(message.config);
    return;
  }
  call(message.id, message.method, message.args).then(
    (value) => send({ type: 'result', id: message.id, value }),
    (error: unknown) =>
      send(
        isMedSealError(error)
          ? { type: 'error', id: message.id, code: error.code, category: error.category, text: error.textRef }
          : {
              type: 'error',
              id: message.id,
              code: 'INTERNAL',
              category: 'internal',
              text: { variant: 'exchange', params: {} },
            },
      ),
  );
});
