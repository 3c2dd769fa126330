/**
 * A partner's directory file from a web server, over HTTPS only: the
 * server's certificate verified against the system's authorities or the CA
 * the policy names (exchange/mail/mail-tls.ts, the same TLS as e-mail: TLS
 * 1.2 at least), at most three redirects and each to https:// again, no
 * cookies and no login. The file is signed, so TLS is not what makes it
 * trustworthy; it keeps who fetches what from the network, and refusing
 * plain HTTP keeps a man in the middle from even choosing what we parse. A
 * body larger than the limit is refused from its declared length before it
 * is read, and cut off as soon as it passes the limit when none is declared.
 */
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { isCertificateError, tlsOptions } from '../../exchange/mail/mail-tls.js';
import type { Deadline } from './deadline.js';
import { DirectorySourceUnreachable, InvalidDirectorySource, type DirectoryFetchFailure } from './errors.js';
import { parsedHttpsUrl } from './source-address.js';

export const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpsFetchOptions {
  readonly maxBytes: number;
  readonly caPem: string | null;
  readonly deadline: Deadline;
}

type Answer = { readonly body: Buffer } | { readonly location: string };

export async function fetchOverHttps(urlText: string, options: HttpsFetchOptions): Promise<Buffer> {
  let url = checkedUrl(urlText);
  for (let redirects = 0; ; redirects++) {
    const answer = await getOnce(url, options);
    if ('body' in answer) return answer.body;
    if (redirects === MAX_REDIRECTS) throw failure(url, 'too-many-redirects');
    if (!URL.canParse(answer.location, url)) throw failure(url, 'redirect-not-https');
    const next = new URL(answer.location, url);
    if (next.protocol !== 'https:' || next.username !== '' || next.password !== '')
      throw failure(url, 'redirect-not-https');
    url = next;
  }
}

/**
 * The URL to fetch, refused before any connection unless it is https:// ('not-https'); one with a
 * login in it, or no URL at all, is InvalidDirectorySource as when it was typed.
 */
function checkedUrl(text: string): URL {
  try {
    return parsedHttpsUrl(text);
  } catch (error) {
    if (!(error instanceof InvalidDirectorySource && error.problem === 'not-https')) throw error;
    throw new DirectorySourceUnreachable('https', new URL(text).host, 'not-https', { cause: error });
  }
}

function failure(
  url: URL,
  reason: DirectoryFetchFailure,
  options: { status?: number; maxBytes?: number; cause?: unknown } = {},
): DirectorySourceUnreachable {
  return new DirectorySourceUnreachable('https', url.host, reason, options);
}

/** One GET: the body, or where a redirect points. */
function getOnce(url: URL, { maxBytes, caPem, deadline }: HttpsFetchOptions): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    if (deadline.signal.aborted) {
      reject(deadline.failure());
      return;
    }
    const outgoing = request(url, {
      method: 'GET',
      agent: false, // a connection of its own: no session or socket shared with anything else
      ...tlsOptions(url.hostname, caPem),
      headers: { accept: 'application/octet-stream', 'accept-encoding': 'identity', 'user-agent': 'MedSeal' },
    });
    const stop = (error: Error) => {
      deadline.signal.removeEventListener('abort', onAbort);
      outgoing.destroy();
      reject(error);
    };
    const onAbort = () => stop(deadline.failure());
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (error) => stop(classified(url, error)));
    outgoing.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status)) {
        const location = response.headers.location;
        deadline.signal.removeEventListener('abort', onAbort);
        outgoing.destroy();
        if (location === undefined) reject(failure(url, 'http-status', { status }));
        else resolve({ location });
        return;
      }
      if (status < 200 || status > 299) return stop(failure(url, 'http-status', { status }));
      const declared = response.headers['content-length'];
      if (declared !== undefined && Number(declared) > maxBytes) return stop(failure(url, 'too-large', { maxBytes }));
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) stop(failure(url, 'too-large', { maxBytes }));
        else chunks.push(chunk);
      });
      response.on('error', (error: Error) => stop(classified(url, error)));
      response.on('end', () => {
        deadline.signal.removeEventListener('abort', onAbort);
        resolve({ body: Buffer.concat(chunks, received) });
      });
    });
    outgoing.end();
  });
}

/** A failed connection in the words IT needs: which step failed, never the URL's path or query. */
function classified(url: URL, error: Error): Error {
  if (error instanceof DirectorySourceUnreachable) return error;
  if (isCertificateError(error)) return failure(url, 'tls-certificate', { cause: error });
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return error; // not a network failure: a fault of ours, shown as it is
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return failure(url, 'dns', { cause: error });
  if (code === 'ECONNREFUSED') return failure(url, 'refused', { cause: error });
  if (['ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN'].includes(code))
    return failure(url, 'unreachable', { cause: error });
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
    return failure(url, 'tls', { cause: error });
  return failure(url, 'connection-lost', { cause: error });
}
