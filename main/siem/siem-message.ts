/**
 * One audit event as a syslog message for a SIEM: RFC 5424 with the event
 * as structured JSON in the message, or ArcSight CEF in an RFC 5424 frame.
 * The fields are those of the audit export (docs/AUDIT.md): who (the
 * identity's fingerprint), what, when, with whom (fingerprints), how many
 * files and bytes, a short code, and the chain hashes; plus the
 * workstation and the OS user. Never file names, notes or patient data:
 * the audit log cannot hold them in the first place.
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import { auditRecord } from '../audit/audit-export.js';

export type SiemFormat = 'rfc5424' | 'cef';

export interface SiemOrigin {
  /** The workstation's host name. */
  readonly hostname: string;
  /** The operating-system account running MedSeal. */
  readonly user: string;
  readonly appVersion: string;
}

/** Facility 13 (log audit); severity 4 (warning) for refusals and failures, 5 (notice) otherwise. */
const FACILITY_LOG_AUDIT = 13;
const WARNING_ACTIONS = new Set([
  'identity.unlock-failed',
  'package.open-refused',
  'receipt.refused',
  'audit.pending-rejected',
  'package.alarm-overridden',
  'folder.changed',
  'directory.refused',
  'package.unverified-allowed',
]);
/** The documentation enterprise number (RFC 5612), until MedSeal has its own. */
const SD_ID = 'medseal@32473';

/** Printable US-ASCII without spaces, as RFC 5424 wants in header fields; "-" when empty. */
function headerField(text: string, max: number): string {
  const clean = text.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

function sdValue(text: string): string {
  return text.replace(/[\\"\]]/g, (character) => `\\${character}`);
}

function cefHeader(text: string): string {
  return text.replace(/[\\|]/g, (character) => `\\${character}`);
}

function cefValue(text: string): string {
  return text.replace(/[\\=]/g, (character) => `\\${character}`).replace(/\r\n|[\r\n]/g, '\\n');
}

/** The event's fields, as the audit export has them, with the workstation and the user. */
export function siemRecord(entry: AuditEntry, origin: SiemOrigin) {
  return { ...auditRecord(entry), workstation: origin.hostname, user: origin.user };
}

export function siemMessage(entry: AuditEntry, origin: SiemOrigin, format: SiemFormat): string {
  const warning = WARNING_ACTIONS.has(entry.action);
  const priority = FACILITY_LOG_AUDIT * 8 + (warning ? 4 : 5);
  const header = `<${priority}>1 ${entry.at} ${headerField(origin.hostname, 255)} medseal - ${headerField(entry.action, 32)} [${SD_ID} seq="${entry.seq}" actor="${sdValue(entry.actor)}"]`;
  if (format === 'rfc5424') return `${header} ${JSON.stringify(siemRecord(entry, origin))}`;
  const extension = [
    ['rt', String(Date.parse(entry.at))],
    ['shost', origin.hostname],
    ['suser', origin.user],
    ['cn1Label', 'seq'],
    ['cn1', String(entry.seq)],
    ['cs1Label', 'actor'],
    ['cs1', entry.actor],
    ['cs2Label', 'counterparts'],
    ['cs2', entry.counterparts.join(' ')],
    ['cs3Label', 'detail'],
    ['cs3', entry.detail ?? ''],
    ['cs4Label', 'hash'],
    ['cs4', entry.hash.toString('hex')],
    ...(entry.fileCount === null
      ? []
      : [
          ['cn2Label', 'fileCount'],
          ['cn2', String(entry.fileCount)],
        ]),
    ...(entry.totalBytes === null
      ? []
      : [
          ['cn3Label', 'totalBytes'],
          ['cn3', String(entry.totalBytes)],
        ]),
  ]
    .map(([key, value]) => `${key}=${cefValue(value!)}`)
    .join(' ');
  const action = cefHeader(entry.action);
  return `${header} CEF:0|MedSeal|MedSeal|${cefHeader(origin.appVersion)}|${action}|${action}|${warning ? 7 : 3}|${extension}`;
}
