/**
 * `medseal watch --outbox DIR`: the hot folder (services/hot-folder.ts) for
 * scanners and EHR exports. One unlock for the whole run (passphrase file,
 * MEDSEAL_PASSPHRASE or the prompt); chokidar watches the recipient
 * folders, polling by default because network shares do not report
 * changes reliably, and hands over a file only once its size has not
 * changed for --settle-ms. A file dropped into the outbox itself goes to
 * failed/ (it names no contact). The delivery queue is worked through as
 * well: all of it at the start, then what is due every RETRY_CHECK_MS.
 * Partner organisations' directories are fetched at the start and every
 * hour (services/partner-organisations.ts), a problem warned about on
 * stderr when a partner's outcome changes, never ending the run.
 * One JSON line per file (or package delivered from the queue) on stdout;
 * runs until Ctrl-C or SIGTERM, then finishes the file in hand.
 */
import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { watch } from 'chokidar';
import { toIoError } from '../../errors/io-error.js';
import { UsageError } from '../../errors/usage-error.js';
import { DeliveryQueue } from '../../services/delivery/delivery-queue.js';
import type { FolderChanged, FolderNotSafe } from '../../fs/pinned-folder.js';
import { HotFolder, isReservedFolder, pinOutbox } from '../../services/hot-folder.js';
import type { CliContext } from '../context.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { PartnerDirectories } from '../../services/partner-organisations.js';
import type { ProfileSession } from '../../services/profile-session.js';
import { forTerminal } from '../terminal-text.js';
import type { Handle } from './identity.js';

/** How often the delivery queue is looked at for what is due (its backoff starts at a minute). */
const RETRY_CHECK_MS = 15_000;
/** How often a running `watch` looks whether the policy's automatic backup is due (as the app does). */
const BACKUP_CHECK_MS = 10 * 60_000;
/** How often a running `watch` fetches partner organisations' directories (as the app does). */
export const PARTNER_REFRESH_MS = 60 * 60_000;

/**
 * Fetches every partner's directory, never two refreshes at once (`idle` waits for the one under
 * way, before the run closes the profile); warns on stderr when a partner's outcome changes (a
 * refused directory, a fork alarm, a server down, and when it works again), so that an hourly
 * failure is said once. A failure of the refresh itself is a warning too: the next hour tries again.
 */
function partnerRefresher(session: ProfileSession, context: CliContext) {
  const partners = new PartnerDirectories(session);
  const last = new Map<string, string>();
  let running: Promise<void> | undefined;
  let checkedOnce = false;
  const refresh = async () => {
    try {
      if (partners.partners().length === 0) return;
      const results = await partners.refresh();
      for (const result of results) {
        const problem = result.problem && isMedSealError(result.problem) ? result.problem : null;
        const outcome = `${result.outcome}:${problem?.code ?? ''}`;
        const before = last.get(result.name);
        last.set(result.name, outcome);
        if (before === outcome || (before === undefined && result.outcome === 'accepted')) continue;
        context.out.warn(
          `partner ${forTerminal(result.name)}: directory ${result.outcome}${problem ? `: ${problem.userMessage}` : ''}`,
        );
      }
      // The service's log shows that the start's refresh ran; later hours speak only of changes.
      if (!checkedOnce)
        process.stderr.write(
          `medseal: partner directories checked (${results.length}); a change is reported here, hourly\n`,
        );
      checkedOnce = true;
    } catch (error) {
      if (!isMedSealError(error)) throw error;
      context.out.warn(`partner directories not refreshed (${error.userMessage}); the next hour tries again`);
    }
  };
  return {
    run: (): Promise<void> =>
      (running ??= refresh().finally(() => {
        running = undefined;
      })),
    idle: (): Promise<void> => running ?? Promise.resolve(),
  };
}

interface WatchOptions {
  outbox: string;
  settleMs: string;
  intervalMs: string;
  events?: boolean;
}

async function watchCommand(context: CliContext, options: WatchOptions): Promise<void> {
  const settleMs = Number(options.settleMs);
  const intervalMs = Number(options.intervalMs);
  if (!Number.isInteger(settleMs) || settleMs < 100 || !Number.isInteger(intervalMs) || intervalMs < 50)
    throw new UsageError('--settle-ms must be at least 100 and --interval-ms at least 50.');
  const outbox = resolve(options.outbox);
  await mkdir(outbox, { recursive: true }).catch((error: unknown) => {
    throw toIoError('the outbox folder', error);
  });
  await pinOutbox(outbox); // before the passphrase: refuse an outbox others could change
  await context.unlock();
  const session = await context.session();
  let stoppedBy: FolderChanged | FolderNotSafe | undefined;
  let stopWatching = () => undefined as void;
  const hot = new HotFolder(
    outbox,
    session,
    await context.sender(),
    new DeliveryQueue(session, await context.delivery()),
    (outcome) => {
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
      void context.forwardAudit();
    },
    undefined,
    (error) => {
      stoppedBy = error; // a folder changed under the hot folder: stop, and say so with the exit code
      stopWatching();
    },
  );
  await hot.recover();
  void hot.retryQueued(true); // a start is a good time to try everything queued (the network may be back)
  const retrying = setInterval(() => void hot.retryQueued(), RETRY_CHECK_MS);
  // A hot-folder service account may never run anything else: its automatic backups are written here.
  void context.backupIfDue();
  const backups = setInterval(() => void context.backupIfDue(), BACKUP_CHECK_MS);
  backups.unref();
  const partnerDirectories = partnerRefresher(session, context);
  void partnerDirectories.run();
  const partnerTimer = setInterval(() => void partnerDirectories.run(), PARTNER_REFRESH_MS);
  partnerTimer.unref();
  const watcher = watch(outbox, {
    depth: 1,
    ignoreInitial: false,
    followSymlinks: false, // a link dropped in is reported and refused by the hot folder, never followed
    usePolling: !options.events,
    interval: intervalMs,
    awaitWriteFinish: {
      stabilityThreshold: settleMs,
      pollInterval: Math.min(500, Math.max(50, Math.floor(settleMs / 4))),
    },
    ignored: (path, stats) => {
      const parts = path.slice(outbox.length + 1).split(/[\\/]/);
      // A contact's folder and the files in it; a file in the outbox itself too (it goes to failed/).
      return parts[0] !== undefined && parts[0] !== '' && isReservedFolder(parts[0])
        ? true
        : stats?.isFile() === true && parts.length > 2;
    },
  });
  watcher.on('add', (path) => void hot.dropped(path));
  process.stderr.write(`medseal: watching ${outbox} (drop files into ${outbox}/<contact e-mail>/)\n`);
  await new Promise<void>((done) => {
    stopWatching = done;
    if (context.signal.aborted || hot.stopped) done();
    context.signal.addEventListener('abort', () => done());
  });
  clearInterval(retrying);
  clearInterval(backups);
  clearInterval(partnerTimer);
  await watcher.close();
  await hot.idle();
  await partnerDirectories.idle();
  if (stoppedBy) throw stoppedBy;
}

export function registerWatchCommand(program: Command, handle: Handle): void {
  const command = program
    .command('watch')
    .description('the hot folder: seal and deliver every file dropped into OUTBOX/<contact>/, until Ctrl-C')
    .requiredOption('--outbox <dir>', 'the outbox folder (created if missing)')
    .option('--settle-ms <ms>', 'a file is taken once its size has not changed for this long', '2000')
    .option('--interval-ms <ms>', 'how often the folders are polled', '1000')
    .option('--events', "use the file system's change events instead of polling (local disks only)");
  handle(command, (context) => watchCommand(context, command.opts<WatchOptions>()));
}
