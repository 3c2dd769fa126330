/**
 * The profile's settings, typed: each setting has one name, one parser and
 * one default, so no caller reads raw strings from the settings table or
 * parses them on its own. Values are never patient information (minutes,
 * folder paths chosen by the user or IT).
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { HeldHead } from '../directory/directory-verify.js';
import { OwnGossipSchema, type OwnGossip } from '../directory/head-gossip.js';
import { parseStrictJson } from '../validation/strict-json.js';
import type { Db } from './database.js';
import { storeErrorFrom } from './errors.js';

/** What lets a held head travel as gossip. */
interface GossipSigned {
  readonly validUntil: string;
  readonly signature: string;
}

interface SettingType<T> {
  readonly key: string;
  /** The stored text as a value, or null when it is not one (then the default applies). */
  parse(text: string): T | null;
  serialise(value: T): string;
}

/** A setting stored as JSON: a stored text that is not JSON, or not of `schema`, is none (the default applies). */
function jsonSetting<S extends z.ZodType>(key: string, schema: S): SettingType<z.output<S>> {
  return {
    key,
    parse: (text) => {
      const parsed = parseStrictJson(text, schema);
      return parsed.ok ? parsed.value : null;
    },
    serialise: (value) => JSON.stringify(value),
  };
}

const wholeMinutes: SettingType<number> = {
  key: 'app.autoLockMinutes',
  parse: (text) => {
    const minutes = Number(text);
    return Number.isInteger(minutes) && minutes >= 1 && minutes <= 60 ? minutes : null;
  },
  serialise: String,
};

const folderList: SettingType<string[]> = {
  key: 'exchange.folders',
  parse: (text) => {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.filter((entry): entry is string => typeof entry === 'string') : null;
    } catch (error) {
      if (error instanceof SyntaxError) return null; // not JSON: the default applies
      throw error;
    }
  },
  serialise: (value) => JSON.stringify(value),
};

const isoTime: SettingType<string> = {
  key: 'directory.revocationsSeen',
  parse: (text) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text) ? text : null),
  serialise: (value) => value,
};

/**
 * The head of the organisation's directory log accepted last (docs/FORMAT.md §11): an older or
 * forked one is refused. With its validUntil and signature (both, as text) it can travel in
 * packages as gossip; without them it is still the head held.
 */
const directoryHead = jsonSetting(
  'directory.headSeen',
  z
    .object({
      seq: z.number(),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      issuedAt: z.string(),
      validUntil: z.unknown().optional(),
      signature: z.unknown().optional(),
    })
    .transform(({ seq, hash, issuedAt, validUntil, signature }): HeldHead & Partial<GossipSigned> => ({
      seq,
      hash,
      issuedAt,
      ...(typeof validUntil === 'string' && typeof signature === 'string' ? { validUntil, signature } : {}),
    })),
);

/** A folder chosen by the user; the empty text means none was chosen (or the choice was undone). */
const chosenFolder: SettingType<string> = {
  key: 'send.sentCopyFolder',
  parse: (text) => (isAbsolute(text) ? text : null),
  serialise: (value) => value,
};

const onOff = (key: string): SettingType<boolean> => ({
  key,
  parse: (text) => (text === 'on' ? true : text === 'off' ? false : null),
  serialise: (value) => (value ? 'on' : 'off'),
});

/** Withdrawal notices taken in, by package and sender: one is recorded once, however often it is put back. */
const noticesSeen = jsonSetting('inbox.withdrawalsSeen', z.array(z.string()));

/** How far each syslog server has received the audit log: server address → last forwarded seq. */
const forwardedPositions = jsonSetting('siem.forwarded', z.record(z.string(), z.number().int().nonnegative()));

/** The names people gave their own exchange folders: folder path → name ("Lab partners"). */
const exchangeNames = jsonSetting('exchange.names', z.record(z.string(), z.string()));

/** Gossip about the organisation's own directory (FORMAT.md §11): a head beyond the chain held, a fork alarm. */
const ownGossip: SettingType<OwnGossip> = jsonSetting('directory.gossip', OwnGossipSchema);

/** Every setting a profile keeps. */
export const SETTING_TYPES = {
  autoLockMinutes: wholeMinutes,
  exchangeFolders: folderList,
  exchangeNames,
  /** The newest organisation revocation list accepted (its updatedAt): an older one is refused. */
  directoryRevocationsSeen: isoTime,
  directoryHeadSeen: directoryHead,
  directoryGossip: ownGossip,
  siemForwarded: forwardedPositions,
  /** Where a copy of every package sent through the exchanges is kept (none: only the exchanges have it). */
  sentCopyFolder: chosenFolder,
  /** Desktop notifications for arrivals and receipts (default on, where the policy allows them). */
  notifications: onOff('app.notifications'),
  withdrawalsSeen: noticesSeen,
} as const;

export type SettingName = keyof typeof SETTING_TYPES;
export type SettingValue<N extends SettingName> = (typeof SETTING_TYPES)[N] extends SettingType<infer T> ? T : never;

export class Settings {
  constructor(private readonly db: Db) {}

  /** The stored value, or null when none (or no valid one) is stored. */
  get<N extends SettingName>(name: N): SettingValue<N> | null {
    const type = SETTING_TYPES[name] as SettingType<SettingValue<N>>;
    try {
      const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(type.key) as
        { value: string } | undefined;
      return row ? type.parse(row.value) : null;
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }

  set<N extends SettingName>(name: N, value: SettingValue<N>): void {
    const type = SETTING_TYPES[name] as SettingType<SettingValue<N>>;
    try {
      this.db
        .prepare(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(type.key, type.serialise(value));
    } catch (error) {
      throw storeErrorFrom(error);
    }
  }
}
