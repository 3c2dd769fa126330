/** Syslog addresses and messages: what the policy accepts, and escaping that keeps one event one record. */
import { describe, expect, it } from 'vitest';
import { parseSiemAddress } from '../../main/siem/siem-address.js';
import { siemMessage } from '../../main/siem/siem-message.js';
import type { AuditEntry } from '../../main/audit/audit-entry.js';

const entry: AuditEntry = {
  seq: 7,
  at: '2026-11-30T06:00:00.000Z',
  actor: 'a'.repeat(64),
  action: 'package.open-refused',
  counterparts: ['b'.repeat(64)],
  fileCount: null,
  totalBytes: null,
  detail: 'PACKAGE_TAMPERED',
  prevHash: Buffer.alloc(32, 1),
  hash: Buffer.alloc(32, 2),
  signature: Buffer.alloc(64, 3),
};

describe('syslog addresses', () => {
  it.each([
    ['tcp://siem.hospital.example:514', { protocol: 'tcp', host: 'siem.hospital.example', port: 514 }],
    ['tls://10.0.0.5:6514', { protocol: 'tls', host: '10.0.0.5', port: 6514 }],
    ['udp://[::1]:514', { protocol: 'udp', host: '::1', port: 514 }],
  ])('%s', (text, expected) => expect(parseSiemAddress(text)).toEqual(expected));

  it.each([
    'siem.example:514',
    'http://siem:80',
    'tcp://siem',
    'tcp://siem:0',
    'tcp://siem:70000',
    'tcp://si em:514',
    'tcp://user@siem:514',
  ])('refuses %s', (text) => {
    expect(() => parseSiemAddress(text)).toThrow(/must look like|port outside/);
  });
});

describe('messages', () => {
  const origin = { hostname: 'ward 7|pc=12', user: 'dr=adams\\x', appVersion: '0.1|0' };

  it('RFC 5424: a warning for a refusal, header fields without spaces, the event as one line of JSON', () => {
    const message = siemMessage(entry, origin, 'rfc5424');
    expect(message).toMatch(
      /^<108>1 2026-11-30T06:00:00\.000Z ward7\|pc=12 medseal - package\.open-refused \[medseal@32473 seq="7" actor="a{64}"\] \{/,
    );
    expect(message).not.toContain('\n');
    expect(JSON.parse(message.slice(message.indexOf('{')))).toMatchObject({
      seq: 7,
      detail: 'PACKAGE_TAMPERED',
      workstation: 'ward 7|pc=12',
      user: 'dr=adams\\x',
    });
  });

  it('CEF: pipes escaped in the header, equals signs and backslashes in the extension', () => {
    const message = siemMessage(entry, origin, 'cef');
    expect(message).toContain('CEF:0|MedSeal|MedSeal|0.1\\|0|package.open-refused|package.open-refused|7|');
    expect(message).toContain('shost=ward 7|pc\\=12');
    expect(message).toContain('suser=dr\\=adams\\\\x');
    expect(message).toContain('cs3=PACKAGE_TAMPERED');
  });
});
