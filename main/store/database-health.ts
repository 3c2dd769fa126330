/**
 * The database as a health check sees it, without the passphrase: opened
 * read-only, SQLite's integrity check, and the audit chain verified with the
 * identity's public signing key alone.
 */
import Database from 'better-sqlite3';
import type { AuditVerification } from '../audit/audit-entry.js';
import { verifyAuditChain } from './audit-log.js';

export type DatabaseHealth =
  | { readonly opened: false; readonly reason: string }
  | { readonly opened: true; readonly integrity: string; readonly audit: AuditVerification | null };

export function inspectDatabase(path: string, signingKey: Uint8Array | null): DatabaseHealth {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    // SQLITE_CANTOPEN (none yet, unreadable), SQLITE_NOTADB…; better-sqlite3 throws TypeError for a missing folder.
    if (error instanceof Database.SqliteError) return { opened: false, reason: error.code };
    if (error instanceof TypeError && /directory does not exist/.test(error.message))
      return { opened: false, reason: 'no profile folder' };
    throw error;
  }
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    return { opened: true, integrity, audit: signingKey ? verifyAuditChain(db, signingKey) : null };
  } finally {
    db.close();
  }
}
