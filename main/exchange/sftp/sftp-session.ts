/**
 * One SFTP connection (ssh2, a maintained pure-JavaScript SSH client) with
 * the server's host key pinned: the key presented must hash to the
 * fingerprint confirmed at setup, or the connection is dropped before any
 * authentication and HostKeyChanged says which key came instead. Every
 * operation is a promise; a dropped connection (or one the keepalive finds
 * silent), or an SFTP channel that ended under a live connection, fails
 * them all (those under way too) with TransportUnreachable, so callers can
 * resume later. A channel that stays open but silent is not detected.
 */
import { Client, type SFTPWrapper, type Stats } from 'ssh2';
import { HostKeyChanged, TransportUnreachable, TransportWriteRefused } from '../errors.js';
import { hostKeyFingerprint, formatSftpAddress, type SftpAddress } from './sftp-address.js';

export interface SftpCredentials {
  readonly address: SftpAddress;
  readonly hostKey: string;
  /** The OpenSSH private key (PEM/OpenSSH text); kept in memory only for the connection. */
  readonly privateKey: Buffer;
}

export interface RemoteEntry {
  readonly name: string;
  readonly size: number;
  readonly modifiedAt: Date;
  readonly isFile: boolean;
  readonly isFolder: boolean;
  /** The owner's user id on the server, and the permission bits (with the sticky bit, 0o1000). */
  readonly uid: number;
  readonly mode: number;
}

const CONNECT_TIMEOUT_MS = 15_000;
/** The SFTP status codes MedSeal tells apart (draft-ietf-secsh-filexfer-02; FILE_EXISTS is v5+, OpenSSH answers FAILURE). */
export const SFTP_STATUS = { noSuchFile: 2, permissionDenied: 3, failure: 4, fileExists: 11 } as const;

export class SftpSession {
  private closed = false;
  /** Rejects each call under way: ssh2 answers none of them once the channel is gone. */
  private readonly inFlight = new Set<(error: Error) => void>();

  private constructor(
    private readonly client: Client,
    private readonly sftp: SFTPWrapper,
    readonly server: string,
  ) {
    // The SFTP channel can end while the connection stays up (the server's sftp-server process
    // died): ssh2 then keeps every later request unanswered, so the channel's end is the session's.
    const lost = () => this.lost();
    const failed = (cause: Error) => this.lost(cause);
    client.on('close', lost).on('end', lost).on('error', failed);
    sftp.on('close', lost).on('end', lost).on('error', failed);
    // It may have ended already, between ssh2 handing it over and these listeners.
    if (!this.channelOpen()) this.lost();
  }

  /** Whether ssh2 still sends on the SFTP channel (it stores requests made after its end, unanswered). */
  private channelOpen(): boolean {
    const channel = this.sftp as unknown as {
      readonly readable?: boolean;
      readonly outgoing?: { readonly state?: string };
    };
    return channel.readable !== false && channel.outgoing?.state === 'open';
  }

  /** Connects, checks the host key against the pin and logs in with the key. */
  static async connect(credentials: SftpCredentials): Promise<SftpSession> {
    const server = `${credentials.address.host}${credentials.address.port === 22 ? '' : `:${credentials.address.port}`}`;
    const client = new Client();
    let presented: string | null = null;
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
      // Without TCP_NODELAY every SFTP request waits out Nagle against a delayed ACK (about 40–70 ms a
      // round trip, even on one machine): a poll of one inbox took 350 ms instead of 3.
      client.once('connect', () => client.setNoDelay(true));
      client.once('ready', () => {
        client.sftp((error, wrapper) =>
          error ? reject(new TransportUnreachable(server, 'unreachable', { cause: error })) : resolve(wrapper),
        );
      });
      client.once('error', (error: Error & { level?: string }) => {
        if (presented !== null && presented !== credentials.hostKey)
          reject(new HostKeyChanged(server, credentials.hostKey, presented));
        else if (error.level === 'client-authentication')
          reject(new TransportUnreachable(server, 'login-refused', { cause: error }));
        else if (error.level === 'client-timeout')
          reject(new TransportUnreachable(server, 'timed-out', { cause: error }));
        else reject(new TransportUnreachable(server, 'unreachable', { cause: error }));
      });
      client.once('close', () => reject(new TransportUnreachable(server, 'connection-lost')));
      client.connect({
        host: credentials.address.host,
        port: credentials.address.port,
        username: credentials.address.user,
        privateKey: credentials.privateKey,
        readyTimeout: CONNECT_TIMEOUT_MS,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          presented = hostKeyFingerprint(key);
          return presented === credentials.hostKey;
        },
      });
    });
    return new SftpSession(client, sftp, server);
  }

  /** What host key a server presents, for the user to compare before pinning it (no login is attempted). */
  static async presentedHostKey(address: SftpAddress): Promise<string> {
    const client = new Client();
    return new Promise<string>((resolve, reject) => {
      let presented: string | null = null;
      client.once('error', (error) =>
        presented
          ? resolve(presented)
          : reject(new TransportUnreachable(formatSftpAddress(address), 'unreachable', { cause: error })),
      );
      client.once('close', () =>
        presented ? resolve(presented) : reject(new TransportUnreachable(formatSftpAddress(address), 'unreachable')),
      );
      client.connect({
        host: address.host,
        port: address.port,
        username: address.user,
        readyTimeout: CONNECT_TIMEOUT_MS,
        hostVerifier: (key: Buffer) => {
          presented = hostKeyFingerprint(key);
          return false; // look, never log in
        },
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
    this.client.end();
  }

  private lost(cause?: Error): void {
    this.closed = true;
    for (const reject of this.inFlight) reject(new TransportUnreachable(this.server, 'connection-lost', { cause }));
    this.inFlight.clear();
  }

  /** Metadata of a path (never following a final link), or null when nothing is there. */
  async lstat(path: string): Promise<RemoteEntry | null> {
    try {
      const stats = await this.call<Stats>((done) => this.sftp.lstat(path, done));
      return entryOf(path.slice(path.lastIndexOf('/') + 1), stats);
    } catch (error) {
      if (statusOf(error) === SFTP_STATUS.noSuchFile) return null;
      throw this.failure(error);
    }
  }

  async list(folder: string): Promise<RemoteEntry[]> {
    const entries = await this.call<{ filename: string; attrs: Stats }[]>((done) => this.sftp.readdir(folder, done));
    return entries.map((entry) => entryOf(entry.filename, entry.attrs));
  }

  async mkdir(path: string): Promise<void> {
    await this.call<void>((done) => this.sftp.mkdir(path, { mode: 0o755 }, done));
  }

  /** Opens a file: 'wx' creates a new one (fails if the name exists), 'r+' continues one, 'r' reads. */
  async open(path: string, flags: 'wx' | 'r+' | 'r'): Promise<Buffer> {
    return this.call<Buffer>((done) => this.sftp.open(path, flags, { mode: 0o644 }, done));
  }

  async write(handle: Buffer, data: Buffer, position: number): Promise<void> {
    await this.call<void>((done) => this.sftp.write(handle, data, 0, data.length, position, done));
  }

  async read(handle: Buffer, into: Buffer, position: number): Promise<number> {
    return this.call<number>((done) =>
      this.sftp.read(handle, into, 0, into.length, position, (error, bytes) => done(error, bytes)),
    );
  }

  async fstatSize(handle: Buffer): Promise<number> {
    return (await this.fstat(handle)).size;
  }

  async fstat(handle: Buffer): Promise<RemoteEntry> {
    return entryOf('', await this.call<Stats>((done) => this.sftp.fstat(handle, done)));
  }

  /** Sets the permission bits exactly (the server's umask applied at creation does not). */
  async fchmod(handle: Buffer, mode: number): Promise<void> {
    await this.call<void>((done) => this.sftp.fchmod(handle, mode, done));
  }

  async chmod(path: string, mode: number): Promise<void> {
    await this.call<void>((done) => this.sftp.chmod(path, mode, done));
  }

  async closeFile(handle: Buffer): Promise<void> {
    await this.call<void>((done) => this.sftp.close(handle, done));
  }

  /**
   * SSH_FXP_RENAME, which OpenSSH's sftp-server carries out as link() + unlink(): it fails when
   * the target exists, so nothing is ever replaced (posix-rename@openssh.com would replace it).
   */
  async renameWithoutReplacing(from: string, to: string): Promise<void> {
    await this.call<void>((done) => this.sftp.rename(from, to, done));
  }

  /** posix-rename@openssh.com: replaces the target name (for our own files only, such as an inbox announcement). */
  async renameReplacing(from: string, to: string): Promise<void> {
    await this.call<void>((done) => this.sftp.ext_openssh_rename(from, to, done));
  }

  async unlink(path: string): Promise<void> {
    await this.call<void>((done) => this.sftp.unlink(path, done));
  }

  private async call<T>(operation: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
    if (this.closed || !this.channelOpen()) {
      this.lost();
      throw new TransportUnreachable(this.server, 'connection-lost');
    }
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject);
      const settle = (error: unknown, value?: T) => {
        this.inFlight.delete(reject);
        if (error) reject(this.failure(error));
        else resolve(value as T);
      };
      try {
        operation((error, value) => settle(error, value));
      } catch (error) {
        settle(error);
      }
    });
  }

  /** Status errors of the server stay what they are (callers look at the code); lost connections become TransportUnreachable. */
  private failure(error: unknown): Error {
    if (
      error instanceof HostKeyChanged ||
      error instanceof TransportUnreachable ||
      error instanceof TransportWriteRefused
    )
      return error;
    if (statusOf(error) !== undefined) return error as Error;
    return new TransportUnreachable(this.server, 'connection-lost', { cause: error });
  }
}

/** A file nobody else can have planted or changed: ours, written only by us (and, the caller checks, in a sticky inbox). */
export function isOwnFile(entry: RemoteEntry | null, ownUid: number | null): entry is RemoteEntry {
  return entry !== null && ownUid !== null && entry.isFile && entry.uid === ownUid && (entry.mode & 0o022) === 0;
}

/** The SFTP status code of a server's refusal (ssh2 puts it on `code`), if it is one. */
export function statusOf(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'number' ? code : undefined;
}

function entryOf(name: string, stats: Stats): RemoteEntry {
  return {
    name,
    size: stats.size,
    modifiedAt: new Date(stats.mtime * 1000),
    isFile: stats.isFile(),
    isFolder: stats.isDirectory(),
    uid: stats.uid,
    mode: stats.mode & 0o7777,
  };
}
