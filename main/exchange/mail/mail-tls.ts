/**
 * The TLS every mail connection uses, for SMTP and IMAP alike: the server's
 * certificate verified (against the CA the policy or the person gave, else
 * the system's), TLS 1.2 at least, and a failure sorted into what the
 * person must be told: an untrusted certificate is a possible interception,
 * not a server that is down.
 */
import type { ConnectionOptions } from 'node:tls';

export function tlsOptions(host: string, caPem: string | null): ConnectionOptions {
  return {
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    // An IP address is checked against the certificate's IP entries; SNI takes only names.
    ...(/^[0-9.]+$|:/.test(host) ? {} : { servername: host }),
    ...(caPem === null ? {} : { ca: caPem }),
  };
}

/** OpenSSL's codes for a certificate that cannot be trusted (node:tls puts them in `code`). */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** Whether `error` (or what it wraps) is a certificate that could not be trusted. */
export function isCertificateError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const codes = [(current as NodeJS.ErrnoException).code, (current as { originalCode?: string }).originalCode];
    if (codes.some((code) => code !== undefined && CERTIFICATE_CODES.has(code))) return true;
    current = current.cause;
  }
  return false;
}

/** Whether `error` (or what it wraps) is the network refusing or dropping: nothing listens, no route, reset. */
export function isTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code === 'ETIMEDOUT' || code === 'CONNECT_TIMEOUT' || code === 'GREETING_TIMEOUT') return true;
    current = current.cause;
  }
  return false;
}
