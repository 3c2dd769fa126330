/**
 * What the app core needs from its host (the Electron shell, or a test):
 * native dialogs, the OS keychain, and a way to send events to the window.
 * Paths only ever come from here or from a checked drop, never from the renderer.
 */
import type { EventName, EventOf } from '../ipc/contract.js';

export interface Keychain {
  /** Whether secrets can be protected by the OS; `reason` in plain words when not. */
  status(): { available: boolean; reason: string | null };
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export type SaveKind =
  'package' | 'card' | 'audit-csv' | 'audit-jsonl' | 'receipt' | 'recovery-kit' | 'backup' | 'reader';

export interface Dialogs {
  /** Files to seal; an empty list when cancelled. */
  chooseFilesToSeal(): Promise<string[]>;
  choosePackage(): Promise<string | null>;
  chooseCard(): Promise<string | null>;
  chooseSaveLocation(kind: SaveKind, defaultName: string): Promise<string | null>;
  chooseFolderForOpenedFiles(): Promise<string | null>;
  chooseExchangeFolder(): Promise<string | null>;
  /** The folder where a copy of every sent package is kept (chosen once, in Settings). */
  chooseSentCopyFolder(): Promise<string | null>;
  /** The private key file for logging in to an SFTP exchange. */
  chooseSftpKey(): Promise<string | null>;
  /** The CA certificate (PEM) of mail servers signed by the organisation's own authority. */
  chooseMailCaFile(): Promise<string | null>;
  /** A backup file to restore (.medseal-backup). */
  chooseBackup(): Promise<string | null>;
}

export interface Desktop {
  /** Shows a file in the system's file manager. */
  revealInFolder(path: string): void;
  /** Starts dragging a file out of the window (into a mail client or a folder). */
  startDrag(path: string): void;
  copyToClipboard(text: string): void;
  /** A desktop notification. Its words come from texts/notification-texts.ts: a person's name, never a file name or note. */
  notify(notice: { readonly title: string; readonly body: string }): void;
  /** The count on the app's icon (dock, taskbar), seen while the window is minimised; 0 clears it. */
  setBadgeCount(count: number): void;
}

export interface Host {
  readonly dialogs: Dialogs;
  readonly keychain: Keychain;
  readonly desktop: Desktop;
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
}
