/**
 * Fetching a partner's directory file over HTTPS from real TLS servers on 127.0.0.1, with a CA
 * made for the run: the file arrives when the server's certificate chains to the CA given; a
 * certificate the system does not know, or one for another name, is refused before any request
 * is sent; http:// is refused without a connection, as is a redirect to it; redirects are
 * limited; a body over the limit is cut off (the server sees the connection close before it has
 * sent it all), a declared length over it refused before reading; a status, a slow server, an
 * old TLS version and a cancel each give their own typed error, without the URL's query.
 */
import { createServer as createHttpsServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchDirectoryFile } from '../../../main/directory/fetch/directory-fetch.js';
import { DirectorySourceUnreachable, InvalidDirectorySource } from '../../../main/directory/fetch/errors.js';
import { OperationCancelled } from '../../../main/errors/usage-error.js';
import { freePort } from '../../helpers/ports.js';
import { makeTestCa, testCaUnavailable, type TestCa } from '../../helpers/test-ca.js';
import { scaled } from '../../helpers/time.js';

const MiB = 1024 * 1024;
const unavailable = testCaUnavailable();
if (unavailable) console.warn(`HTTPS directory fetch tests skipped: ${unavailable}`);

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface TestServer {
  readonly base: string;
  /** Requests that reached the handler (after TLS), with their headers. */
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function startHttps(tls: ServerOptions, handler: Handler): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server = createHttpsServer(tls, (request, response) => {
    requests.push(request);
    handler(request, response);
  });
  const port = await listen(server);
  const started: TestServer = {
    base: `https://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  running.push(started);
  return started;
}

/** A plain TCP listener that only counts who connects (where an http:// fetch would go). */
async function startCounter(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => {
    connections++;
    sockets.push(socket);
  });
  const port = await listen(server);
  running.push({
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  });
  return { port, connections: () => connections };
}

async function failure(promise: Promise<unknown>): Promise<DirectorySourceUnreachable> {
  const error = await promise.then(
    () => new Error('the fetch succeeded'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DirectorySourceUnreachable);
  return error as DirectorySourceUnreachable;
}

describe.skipIf(unavailable !== null)('fetching a directory file over HTTPS (real TLS servers)', () => {
  let folder: string;
  let ca: TestCa;
  let tls: ServerOptions;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'medseal-https-fetch-'));
    ca = await makeTestCa(folder, 'MedSeal test directory CA');
    tls = await ca.issue(['IP:127.0.0.1']);
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  const fetchHttps = (url: string, options: { maxBytes?: number; caPem?: string | null; timeoutMs?: number } = {}) =>
    fetchDirectoryFile(
      { kind: 'https', url },
      {
        maxBytes: options.maxBytes ?? 16 * MiB,
        caPem: options.caPem === undefined ? ca.caPem : options.caPem,
        timeoutMs: options.timeoutMs ?? scaled(20_000),
      },
    );

  it('fetches the file, with or without a declared length, when the certificate chains to the CA given', async () => {
    const content = randomBytes(3 * MiB + 11);
    const server = await startHttps(tls, (request, response) => {
      if (request.url === '/declared') response.setHeader('content-length', content.length);
      response.end(content); // without content-length: chunked
    });
    expect((await fetchHttps(`${server.base}/declared`)).equals(content)).toBe(true);
    expect((await fetchHttps(`${server.base}/chunked`)).equals(content)).toBe(true);
    expect(server.requests.map((request) => request.headers.cookie ?? request.headers.authorization)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('refuses a certificate the system authorities do not know, before sending the request', async () => {
    const server = await startHttps(tls, (_request, response) => response.end('directory'));
    const error = await failure(fetchHttps(`${server.base}/city.medseal-directory`, { caPem: null }));
    expect(error.reason).toBe('tls-certificate');
    expect(error.userMessage).toContain('intercepting');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a certificate made for another name, even from the right CA', async () => {
    const server = await startHttps(await ca.issue(['DNS:directory.cityclinic.example']), (_request, response) =>
      response.end('directory'),
    );
    const error = await failure(fetchHttps(`${server.base}/city.medseal-directory`));
    expect(error.reason).toBe('tls-certificate');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a certificate from another CA even when the host name matches', async () => {
    const otherCa = await makeTestCa(await mkdtemp(join(folder, 'other-')), 'Someone else');
    const server = await startHttps(await otherCa.issue(['IP:127.0.0.1']), (_request, response) => response.end('x'));
    expect((await failure(fetchHttps(`${server.base}/x`))).reason).toBe('tls-certificate');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses http:// (and other schemes) without connecting at all', async () => {
    const counter = await startCounter();
    const error = await failure(fetchHttps(`http://127.0.0.1:${counter.port}/city.medseal-directory`));
    expect(error.reason).toBe('not-https');
    expect((await failure(fetchHttps(`ftp://127.0.0.1:${counter.port}/x`))).reason).toBe('not-https');
    const login = await fetchHttps(`https://it:s3cret@127.0.0.1:${counter.port}/x`).catch((error: unknown) => error);
    expect(login).toBeInstanceOf(InvalidDirectorySource);
    expect((login as InvalidDirectorySource).problem).toBe('credentials');
    expect((login as InvalidDirectorySource).userMessage).not.toContain('s3cret');
    await new Promise((resolve) => setTimeout(resolve, scaled(100)));
    expect(counter.connections()).toBe(0);
  });

  it('does not follow a redirect to http://, nor connect there', async () => {
    const counter = await startCounter();
    const server = await startHttps(tls, (_request, response) => {
      response.writeHead(302, { location: `http://127.0.0.1:${counter.port}/city.medseal-directory` }).end();
    });
    const error = await failure(fetchHttps(`${server.base}/city.medseal-directory`));
    expect(error.reason).toBe('redirect-not-https');
    expect(counter.connections()).toBe(0);
  });

  it('follows up to three https redirects, sends no cookie it was given, and refuses a fourth', async () => {
    const server = await startHttps(tls, (request, response) => {
      const step = Number(/^\/r\/(\d+)$/.exec(request.url ?? '')?.[1] ?? -1);
      if (step > 0)
        response.writeHead(307, { location: `/r/${step - 1}`, 'set-cookie': 'session=tracked; Secure' }).end();
      else if (step === 0) response.end('the directory');
      else response.writeHead(404).end();
    });
    expect((await fetchHttps(`${server.base}/r/3`)).toString()).toBe('the directory');
    expect(server.requests.map((request) => request.url)).toEqual(['/r/3', '/r/2', '/r/1', '/r/0']);
    expect(server.requests.some((request) => request.headers.cookie !== undefined)).toBe(false);
    expect((await failure(fetchHttps(`${server.base}/r/4`))).reason).toBe('too-many-redirects');
    expect(server.requests.map((request) => request.url).slice(4)).toEqual(['/r/4', '/r/3', '/r/2', '/r/1']);
  });

  it('cuts off a body that passes the limit: the server sees the connection close before it sent it all', async () => {
    const total = 64 * MiB;
    const seen = { written: 0, closedEarly: false };
    let serverSawClose!: () => void;
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve));
    const server = await startHttps(tls, (_request, response) => {
      const block = Buffer.alloc(64 * 1024, 0x61);
      response.on('close', () => {
        seen.closedEarly = !response.writableFinished;
        serverSawClose();
      });
      const pump = () => {
        while (seen.written < total && !response.destroyed) {
          seen.written += block.length;
          if (!response.write(block)) return void response.once('drain', pump);
        }
        if (seen.written >= total) response.end();
      };
      pump();
    });
    const error = await failure(fetchHttps(`${server.base}/huge`, { maxBytes: MiB }));
    expect(error.reason).toBe('too-large');
    expect(error.userMessage).toContain('1.0 MB');
    await closed;
    expect(seen.closedEarly).toBe(true);
    expect(seen.written).toBeLessThan(total / 2);
  });

  it('refuses a declared length over the limit without waiting for the body', async () => {
    let serverSawClose!: () => void;
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve));
    const server = await startHttps(tls, (_request, response) => {
      response.writeHead(200, { 'content-length': String(MiB + 1) });
      response.flushHeaders(); // and never a byte of the body
      response.on('close', () => serverSawClose());
    });
    const started = Date.now();
    const error = await failure(fetchHttps(`${server.base}/big`, { maxBytes: MiB, timeoutMs: scaled(30_000) }));
    expect(error.reason).toBe('too-large');
    expect(Date.now() - started).toBeLessThan(scaled(10_000));
    await closed;
  });

  it('gives the HTTP status of a refusal, and never the query string in its words', async () => {
    const server = await startHttps(tls, (_request, response) => response.writeHead(404).end('no such file'));
    const error = await failure(fetchHttps(`${server.base}/city.medseal-directory?token=s3cr3t-signature`));
    expect(error.reason).toBe('http-status');
    expect(error.status).toBe(404);
    expect(error.userMessage).toContain('404');
    expect(error.userMessage).toContain('127.0.0.1');
    expect(error.userMessage).not.toMatch(/s3cr3t|token|city\.medseal/);
    const failing = await startHttps(tls, (_request, response) => response.writeHead(503).end());
    expect((await failure(fetchHttps(`${failing.base}/x`))).status).toBe(503);
  });

  it('gives up on a server that stops sending mid-file, after the time limit', async () => {
    const server = await startHttps(tls, (_request, response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('a few bytes, then nothing');
    });
    const started = Date.now();
    const error = await failure(fetchHttps(`${server.base}/slow`, { timeoutMs: scaled(400) }));
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(scaled(400) - 50);
    expect(Date.now() - started).toBeLessThan(scaled(10_000));
  });

  it('is cancelled by the caller’s signal, as a cancel and not a server fault', async () => {
    const server = await startHttps(tls, () => undefined); // answers nothing
    const controller = new AbortController();
    const fetching = fetchDirectoryFile(
      { kind: 'https', url: `${server.base}/x` },
      { maxBytes: MiB, caPem: ca.caPem, signal: controller.signal, timeoutMs: scaled(30_000) },
    );
    setTimeout(() => controller.abort(), scaled(100));
    await expect(fetching).rejects.toBeInstanceOf(OperationCancelled);
  });

  it('refuses a server that offers only TLS 1.1', async () => {
    const server = await startHttps(
      { ...tls, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
      (_request, response) => response.end('x'),
    );
    expect((await failure(fetchHttps(`${server.base}/x`))).reason).toBe('tls');
    expect(server.requests).toHaveLength(0);
  });

  it('says when nothing listens there', async () => {
    const port = await freePort();
    expect((await failure(fetchHttps(`https://127.0.0.1:${port}/x`))).reason).toBe('refused');
  });
});
