/**
 * Sends syslog messages to the SIEM and says whether they arrived. TCP and
 * TLS (RFC 6587 / RFC 5425 octet-counted framing, TLS 1.2+, the server's
 * certificate checked against the pinned CA file or the system's CAs): one
 * connection per batch, which counts as delivered only when the server has
 * read to our end and closed its side in turn; any error or timeout means
 * nothing of the batch counts, and it is sent again later (the receiver can
 * drop a repeat by its seq). UDP: each datagram handed to the network, no
 * confirmation possible (documented). Node's net, tls and dgram do the work:
 * the syslog client libraries on npm add nothing but unmaintained code.
 */
import { createSocket } from 'node:dgram';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { SiemAddress } from './siem-address.js';

export interface SiemSendOptions {
  /** PEM of the CA that must have signed the TLS server's certificate (policy syslogCaFile). */
  readonly ca?: Buffer;
  readonly timeoutMs?: number;
}

export type SiemSend = (address: SiemAddress, messages: readonly string[], options?: SiemSendOptions) => Promise<void>;

function framed(messages: readonly string[]): Buffer {
  return Buffer.concat(
    messages.map((message) => {
      const body = Buffer.from(message, 'utf8');
      return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
    }),
  );
}

function sendStream(
  socket: Socket,
  data: Buffer,
  timeoutMs: number,
  secureEvent: 'connect' | 'secureConnect',
): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error('the syslog server did not answer in time')));
    socket.once('error', fail);
    let flushed = false;
    socket.once(secureEvent, () => socket.end(data));
    socket.once('finish', () => (flushed = true));
    socket.on('data', () => undefined); // a syslog server sends nothing; read it away if it does
    socket.once('end', () => {
      if (!failed) socket.end();
    });
    socket.once('close', (hadError) => {
      if (failed) return;
      if (hadError || !flushed) fail(new Error('the connection to the syslog server failed'));
      else resolve();
    });
  });
}

export const sendSiemBatch: SiemSend = async (address, messages, options = {}) => {
  if (messages.length === 0) return;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (address.protocol === 'udp') {
    const socket = createSocket(isIP(address.host) === 6 ? 'udp6' : 'udp4');
    try {
      for (const message of messages) {
        await new Promise<void>((resolve, reject) =>
          socket.send(Buffer.from(message, 'utf8'), address.port, address.host, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      }
    } finally {
      socket.close();
    }
    return;
  }
  const data = framed(messages);
  if (address.protocol === 'tcp')
    return sendStream(connectTcp({ host: address.host, port: address.port }), data, timeoutMs, 'connect');
  const socket = connectTls({
    host: address.host,
    port: address.port,
    servername: isIP(address.host) ? undefined : address.host,
    ca: options.ca,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
  });
  return sendStream(socket, data, timeoutMs, 'secureConnect');
};

export type SiemProbe = (address: SiemAddress, options?: SiemSendOptions) => Promise<void>;

/** Whether the server accepts a connection (TCP) or completes a verified handshake (TLS); sends nothing. UDP cannot be probed. */
export const probeSiemServer: SiemProbe = (address, options = {}) => {
  if (address.protocol === 'udp') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const socket =
      address.protocol === 'tcp'
        ? connectTcp({ host: address.host, port: address.port })
        : connectTls({
            host: address.host,
            port: address.port,
            servername: isIP(address.host) ? undefined : address.host,
            ca: options.ca,
            minVersion: 'TLSv1.2',
            rejectUnauthorized: true,
          });
    socket.setTimeout(options.timeoutMs ?? 5_000, () =>
      socket.destroy(new Error('the syslog server did not answer in time')),
    );
    socket.once('error', reject);
    socket.once(address.protocol === 'tcp' ? 'connect' : 'secureConnect', () => {
      socket.end();
      resolve();
    });
  });
};
