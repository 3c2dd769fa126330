/**
 * A real mail server for the e-mail tests: Debian's Postfix (SMTP submission) and Dovecot (IMAP)
 * on 127.0.0.1, each run's own configuration, ports, test CA and server certificate (made with the
 * openssl command), users and mailboxes, all in a temporary folder; stopped (and restartable, for
 * the "server down, then back" tests) by the test. Nothing of the machine's own mail set-up is read,
 * started or changed; two runs at once do not meet.
 *
 * The wiring:
 * - Submission (Postfix smtpd): `smtpPort` with STARTTLS (TLS required before anything else,
 *   AUTH offered only after it) and `smtpsPort` with implicit TLS; SASL PLAIN/LOGIN through
 *   Dovecot's auth socket. Only logged-in users may submit, and only to this server's domain:
 *   nothing can leave the machine.
 * - Delivery: Postfix hands every message for the domain to Dovecot's LMTP server on a unix
 *   socket in the temporary folder; Dovecot stores it in the user's Maildir there.
 * - IMAP (Dovecot): `imapPort`, implicit TLS only. There is no STARTTLS port on purpose: Dovecot
 *   2.3 counts a connection whose two ends have the same address (every 127.0.0.1 → 127.0.0.1 one)
 *   as secured, and would take a plaintext LOGIN there before STARTTLS; no setting turns that off.
 *   IDLE is Dovecot's own.
 * - Users: a Dovecot passwd-file (salted SHA-512), shared by IMAP and SMTP (through the auth
 *   socket); `users.create` adds one while the servers run. Every mailbox belongs to `nobody`.
 *   Failed logins are answered at once (no failure delay, no per-address penalty), so that tests
 *   of wrong passwords do not slow the ones after them.
 * - Dovecot down means SMTP AUTH down too (454, a temporary failure): logins go through it.
 *
 * Runs only as root: Postfix's master refuses anyone else ("the master command is reserved for the
 * superuser"), and Dovecot needs root to run its login and mail processes as other users. Postfix's
 * and Dovecot's own system users (postfix, postdrop, dovecot, dovenull, from the Debian packages)
 * run the unprivileged processes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';
import { scaled } from './time.js';

const POSTFIX_MASTER = '/usr/lib/postfix/sbin/master';
const DOVECOT = '/usr/sbin/dovecot';
const DOVECOT_IMAP = '/usr/lib/dovecot/imap';
const DOVECOT_LMTP = '/usr/lib/dovecot/lmtp';

export interface MailUser {
  readonly address: string;
  readonly password: string;
}

export type MailService = 'smtp' | 'imap';

export interface MailServer {
  readonly host: '127.0.0.1';
  /** SMTP submission with STARTTLS (required before AUTH or MAIL). */
  readonly smtpPort: number;
  /** SMTP submission with implicit TLS. */
  readonly smtpsPort: number;
  /** IMAP with implicit TLS (the only IMAP port: see above). */
  readonly imapPort: number;
  /** The domain of every user's address. */
  readonly domain: string;
  /** The test CA's certificate (a PEM file); the servers' certificate is for IP 127.0.0.1. */
  readonly caFile: string;
  /** The most SMTP accepts in one message (bytes), announced as SIZE. */
  readonly messageSizeLimit: number;
  readonly users: {
    /** A new user `name@domain` with a random password; its login works when this returns (servers running or not). */
    create(name: string): Promise<MailUser>;
  };
  /** The servers' logs so far (for a failing test's message). */
  logs(): Promise<string>;
  /** Stops both, or one of them (a crash or an outage: queued mail and mailboxes are kept). */
  stop(which?: MailService): Promise<void>;
  /** Starts both, or one, again on the same ports, with the same users and mailboxes. */
  start(which?: MailService): Promise<void>;
  /** Stops both and removes the folder. */
  dispose(): Promise<void>;
}

/** Why the e-mail tests cannot run here, or null when they can. */
export function mailServerUnavailable(): string | null {
  if (!existsSync(POSTFIX_MASTER))
    return `${POSTFIX_MASTER} is not installed (Debian package postfix; .ci/run installs it)`;
  if (!existsSync(DOVECOT) || !existsSync(DOVECOT_IMAP))
    return 'Dovecot IMAP is not installed (Debian package dovecot-imapd; .ci/run installs it)';
  if (!existsSync(DOVECOT_LMTP))
    return 'Dovecot LMTP is not installed (Debian package dovecot-lmtpd; .ci/run installs it)';
  if (process.getuid?.() !== 0)
    return `Postfix's master runs only as root ("the master command is reserved for the superuser"); this is uid ${process.getuid?.() ?? '?'}`;
  for (const [kind, name] of [
    ['-u', 'postfix'],
    ['-g', 'postdrop'],
    ['-u', 'dovecot'],
    ['-u', 'dovenull'],
    ['-u', 'nobody'],
  ] as const)
    if (idOf(kind, name) === null)
      return `there is no ${kind === '-u' ? 'user' : 'group'} ${name} (the packages make it)`;
  if (spawnSync('openssl', ['version']).error) return 'the openssl command is missing';
  return null;
}

function idOf(kind: '-u' | '-g', name: string): number | null {
  const result = spawnSync('getent', [kind === '-u' ? 'passwd' : 'group', name], { encoding: 'utf8' });
  const field = result.status === 0 ? result.stdout.split(':')[2] : undefined;
  return field === undefined ? null : Number(field);
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** A CA and a server certificate for IP 127.0.0.1 signed by it (P-256: quick to make). */
async function testCertificates(folder: string): Promise<{ ca: string; cert: string; key: string }> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=MedSeal test mail CA'],
    folder,
  );
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], folder);
  await writeFile(join(folder, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ]),
    folder,
  );
  return { ca: join(folder, 'ca.pem'), cert: join(folder, 'server.pem'), key: join(folder, 'server.key') };
}

/** Dovecot's {SSHA512}: base64(SHA-512(password ‖ salt) ‖ salt). */
function ssha512(password: string): string {
  const salt = randomBytes(16);
  const digest = createHash('sha512').update(password).update(salt).digest();
  return `{SSHA512}${Buffer.concat([digest, salt]).toString('base64')}`;
}

const POSTFIX_QUEUE_FOLDERS = [
  'active',
  'bounce',
  'corrupt',
  'defer',
  'deferred',
  'flush',
  'hold',
  'incoming',
  'private',
  'saved',
  'trace',
] as const;

export async function startMailServer(
  options: {
    messageSizeLimit?: number;
    /** What Dovecot announces after login (its `imap_capability`), for servers without an extension (MOVE, UIDPLUS…). */
    imapCapability?: string;
  } = {},
): Promise<MailServer> {
  const problem = mailServerUnavailable();
  if (problem) throw new Error(problem);
  const ids = {
    postfix: idOf('-u', 'postfix')!,
    postdrop: idOf('-g', 'postdrop')!,
    dovecot: idOf('-g', 'dovecot')!,
    nobody: idOf('-u', 'nobody')!,
    nogroup: Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim()),
  };
  // Lives for a whole describe block. Short names: unix socket paths must stay under 108 bytes.
  const folder = await mkdtemp(join(tmpdir(), 'medseal-mail-'));
  await chmod(folder, 0o711); // postfix, dovecot and nobody pass through it, nobody lists it
  const tls = join(folder, 'tls');
  await mkdir(tls, { mode: 0o700 });
  const certificates = await testCertificates(tls);

  const [smtpPort, smtpsPort, imapPort] = await threeFreePorts();
  const tag = folder
    .slice(-6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const domain = `m${tag}.medseal.test`;
  const messageSizeLimit = options.messageSizeLimit ?? 64 * 1024 * 1024;

  // Dovecot: its own base and state folders, log, users and mailboxes.
  const dovecotFolder = join(folder, 'dovecot');
  await mkdir(join(dovecotFolder, 'state'), { recursive: true, mode: 0o755 });
  const mail = join(folder, 'mail');
  await mkdir(mail, { mode: 0o700 });
  await chown(mail, ids.nobody, ids.nogroup);
  const usersFile = join(dovecotFolder, 'users');
  const users = new Map<string, string>(); // address → passwd-file line
  const writeUsers = async () => {
    const next = `${usersFile}.next`;
    await writeFile(next, [...users.values()].map((line) => `${line}\n`).join(''), { mode: 0o640 });
    await chown(next, 0, ids.dovecot); // read by Dovecot's auth process (user dovecot)
    await rename(next, usersFile); // Dovecot reads it again when it changed
  };
  await writeUsers();
  const authSocket = join(folder, 'auth');
  const lmtpSocket = join(folder, 'lmtp');
  const dovecotLog = join(folder, 'dovecot.log');
  const dovecotConfig = join(dovecotFolder, 'dovecot.conf');
  await writeFile(
    dovecotConfig,
    [
      'protocols = imap lmtp',
      'listen = 127.0.0.1',
      `base_dir = ${join(dovecotFolder, 'run')}`,
      `state_dir = ${join(dovecotFolder, 'state')}`,
      `instance_name = medseal-mail-${tag}`,
      `log_path = ${dovecotLog}`,
      'ssl = required',
      `ssl_cert = <${certificates.cert}`,
      `ssl_key = <${certificates.key}`,
      'ssl_min_protocol = TLSv1.2',
      'disable_plaintext_auth = yes',
      'auth_mechanisms = plain login',
      'auth_failure_delay = 0',
      ...(options.imapCapability === undefined ? [] : [`imap_capability = ${options.imapCapability}`]),
      `first_valid_uid = ${ids.nobody}`,
      `last_valid_uid = ${ids.nobody}`,
      `first_valid_gid = ${ids.nogroup}`,
      `last_valid_gid = ${ids.nogroup}`,
      'mail_location = maildir:~/Maildir',
      'passdb {',
      '  driver = passwd-file',
      `  args = scheme=SSHA512 username_format=%u ${usersFile}`,
      '}',
      'userdb {',
      '  driver = passwd-file',
      `  args = username_format=%u ${usersFile}`,
      `  default_fields = uid=${ids.nobody} gid=${ids.nogroup} home=${mail}/%d/%n`,
      '}',
      'service imap-login {',
      '  inet_listener imap {',
      '    port = 0',
      '  }',
      '  inet_listener imaps {',
      `    port = ${imapPort}`,
      '    ssl = yes',
      '  }',
      '}',
      'service pop3-login {',
      '  inet_listener pop3 {',
      '    port = 0',
      '  }',
      '  inet_listener pop3s {',
      '    port = 0',
      '  }',
      '}',
      'service lmtp {',
      `  unix_listener ${lmtpSocket} {`,
      '    mode = 0600',
      '    user = postfix',
      '  }',
      '}',
      'service auth {',
      `  unix_listener ${authSocket} {`,
      '    mode = 0600',
      '    user = postfix',
      '  }',
      '}',
      // No growing delay for an address after failed logins (Dovecot's documented way to turn it off).
      'service anvil {',
      '  unix_listener anvil-auth-penalty {',
      '    mode = 0',
      '  }',
      '}',
      'protocol lmtp {',
      '  postmaster_address = postmaster@' + domain,
      '}',
      '',
    ].join('\n'),
  );

  // Postfix: its own configuration folder, queue, data folder and log.
  const postfixFolder = join(folder, 'postfix');
  const queue = join(postfixFolder, 'queue');
  const data = join(postfixFolder, 'data');
  await mkdir(queue, { recursive: true, mode: 0o755 });
  for (const name of POSTFIX_QUEUE_FOLDERS) {
    await mkdir(join(queue, name), { mode: 0o700 });
    await chown(join(queue, name), ids.postfix, 0);
  }
  await mkdir(join(queue, 'pid'), { mode: 0o755 });
  for (const [name, mode] of [
    ['maildrop', 0o730],
    ['public', 0o710],
  ] as const) {
    await mkdir(join(queue, name));
    await chown(join(queue, name), ids.postfix, ids.postdrop);
    await chmod(join(queue, name), mode);
  }
  await mkdir(data, { mode: 0o700 });
  await chown(data, ids.postfix, 0);
  const postfixLog = join(folder, 'postfix.log');
  const postfixConfig = join(postfixFolder, 'main.cf');
  await writeFile(
    postfixConfig,
    [
      'compatibility_level = 3.6',
      `queue_directory = ${queue}`,
      `data_directory = ${data}`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      `myhostname = mail.${domain}`,
      `mydomain = ${domain}`,
      'myorigin = $myhostname',
      'mydestination =',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'mynetworks = 127.0.0.1/32',
      'smtpd_peername_lookup = no',
      'smtp_dns_support_level = disabled',
      'biff = no',
      'append_dot_mydomain = no',
      'smtpd_banner = $myhostname ESMTP',
      `maillog_file = ${postfixLog}`,
      `maillog_file_prefixes = ${folder}`,
      // Nothing leaves the machine: no local delivery, no relaying, only this domain's users.
      'alias_maps =',
      'alias_database =',
      'local_recipient_maps =',
      'local_transport = error:local delivery is off on this test server',
      'relay_domains =',
      'relayhost =',
      'default_transport = error:this test server delivers only to its own domain',
      'relay_transport = error:this test server delivers only to its own domain',
      `virtual_mailbox_domains = ${domain}`,
      // Every address of the domain is taken in; Dovecot's LMTP refuses unknown users (a bounce).
      'virtual_mailbox_maps = static:inbox',
      `virtual_transport = lmtp:unix:${lmtpSocket}`,
      `message_size_limit = ${messageSizeLimit}`,
      'mailbox_size_limit = 0',
      'virtual_mailbox_limit = 0',
      // A Dovecot that was down is tried again within seconds, not minutes.
      'queue_run_delay = 1s',
      'minimal_backoff_time = 1s',
      'maximal_backoff_time = 2s',
      'delay_warning_time = 0',
      // TLS (required on both submission services, set in master.cf) and SASL through Dovecot.
      `smtpd_tls_cert_file = ${certificates.cert}`,
      `smtpd_tls_key_file = ${certificates.key}`,
      'smtpd_tls_mandatory_protocols = >=TLSv1.2',
      'smtpd_tls_protocols = >=TLSv1.2',
      'smtpd_tls_auth_only = yes',
      'smtpd_error_sleep_time = 0s',
      'smtpd_tls_loglevel = 0',
      'smtpd_sasl_type = dovecot',
      `smtpd_sasl_path = ${authSocket}`,
      'smtpd_sasl_auth_enable = yes',
      'smtpd_sasl_security_options = noanonymous',
      'smtpd_client_restrictions = permit_sasl_authenticated, reject',
      'smtpd_relay_restrictions = reject_unauth_destination',
      'smtpd_recipient_restrictions = permit_sasl_authenticated, reject',
      '',
    ].join('\n'),
  );
  const submission = (port: number, wrapper: boolean) =>
    [
      `127.0.0.1:${port} inet n - n - - smtpd`,
      `  -o syslog_name=postfix/${wrapper ? 'submissions' : 'submission'}`,
      `  -o smtpd_tls_security_level=encrypt`,
      `  -o smtpd_tls_wrappermode=${wrapper ? 'yes' : 'no'}`,
    ].join('\n');
  await writeFile(
    join(postfixFolder, 'master.cf'),
    [
      submission(smtpPort, false),
      submission(smtpsPort, true),
      // service type private unpriv chroot wakeup maxproc command (no chroot: the paths are absolute)
      'cleanup   unix n - n - 0 cleanup',
      'qmgr      unix n - n 300 1 qmgr',
      'tlsmgr    unix - - n 1000? 1 tlsmgr',
      'rewrite   unix - - n - - trivial-rewrite',
      'bounce    unix - - n - 0 bounce',
      'defer     unix - - n - 0 bounce',
      'trace     unix - - n - 0 bounce',
      'verify    unix - - n - 1 verify',
      'flush     unix n - n 1000? 0 flush',
      'proxymap  unix - - n - - proxymap',
      'smtp      unix - - n - - smtp',
      'relay     unix - - n - - smtp',
      'showq     unix n - n - - showq',
      'error     unix - - n - - error',
      'retry     unix - - n - - error',
      'discard   unix - - n - - discard',
      'lmtp      unix - - n - - lmtp',
      'anvil     unix - - n - 1 anvil',
      'scache    unix - - n - 1 scache',
      'postlog   unix-dgram n - n - 1 postlogd',
      '',
    ].join('\n'),
  );
  // Postfix reads a file changed in this very second again and again until it is older (in case it
  // is being written): dated a minute back, they are read at once (2 s less for every start).
  const aMinuteAgo = new Date(Date.now() - 60_000);
  for (const file of [postfixConfig, join(postfixFolder, 'master.cf')]) await utimes(file, aMinuteAgo, aMinuteAgo);

  const children: Partial<Record<MailService, ChildProcess>> = {};
  const logs = async () =>
    [
      `--- ${postfixLog}`,
      await readFile(postfixLog, 'utf8').catch(() => '(none)'),
      `--- ${dovecotLog}`,
      await readFile(dovecotLog, 'utf8').catch(() => '(none)'),
    ].join('\n');

  const launch = async (which: MailService) => {
    if (children[which] && children[which].exitCode === null) return;
    // Each in its own process group (detached), so that stop() can end every process it forked.
    const child =
      which === 'imap'
        ? spawn(DOVECOT, ['-F', '-c', dovecotConfig], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn(POSTFIX_MASTER, ['-d', '-c', postfixFolder], {
            detached: true,
            stdio: ['ignore', 'ignore', 'pipe'],
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
          });
    children[which] = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const name = which === 'imap' ? 'dovecot' : 'postfix';
    const failed = () => (child.exitCode !== null || child.signalCode !== null ? `${name} exited: ${stderr}` : null);
    try {
      for (const port of which === 'imap' ? [imapPort] : [smtpPort, smtpsPort]) await waitForPort(port, failed, name);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await logs()}`);
    }
  };
  const halt = async (which: MailService) => {
    const running = children[which];
    delete children[which];
    if (!running) return;
    const exited =
      running.exitCode !== null || running.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => running.once('exit', resolve));
    // As a crash would, and at once (Dovecot takes a second to stop by SIGTERM): the whole process
    // group, connections and Postfix's queue manager too. Postfix's queue and Dovecot's Maildirs are
    // made to survive that; both start again over the stale sockets and pid files.
    try {
      process.kill(-running.pid!, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    await exited;
    // The group's other processes die a moment later (zombies do not count: nobody may reap them).
    const deadline = Date.now() + scaled(2_000);
    while (liveMembersOf(running.pid!) > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
  };

  const server: MailServer = {
    host: '127.0.0.1',
    smtpPort,
    smtpsPort,
    imapPort,
    domain,
    caFile: certificates.ca,
    messageSizeLimit,
    users: {
      async create(name) {
        if (!/^[a-z0-9][a-z0-9._-]{0,40}$/.test(name)) throw new Error(`not a plain local part: ${name}`);
        const address = `${name}@${domain}`;
        if (users.has(address)) throw new Error(`${address} exists`);
        const password = randomBytes(18).toString('base64url');
        users.set(address, `${address}:${ssha512(password)}::::::`);
        await writeUsers();
        // Dovecot looks at its passwd-file again at most about once a second: while it runs, wait
        // until the new login works, so that tests never race it.
        if (children.imap) await untilLoginWorks(imapPort, certificates.ca, address, password);
        return { address, password };
      },
    },
    logs,
    async start(which) {
      // Dovecot first: Postfix hands mail and logins to its sockets.
      if (which !== 'smtp') await launch('imap');
      if (which !== 'imap') await launch('smtp');
    },
    async stop(which) {
      if (which !== 'imap') await halt('smtp');
      if (which !== 'smtp') await halt('imap');
    },
    async dispose() {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (error) {
    await server.dispose();
    throw error;
  }
  return server;
}

/** How many processes of process group `group` are alive (not zombies), from /proc. */
function liveMembersOf(group: number): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === group && state !== 'Z' && state !== 'X') count++;
  }
  return count;
}

/** Three ports nobody listens on, all different (freePort may hand out one twice). */
async function threeFreePorts(): Promise<[number, number, number]> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [first = 0, second = 0, third = 0] = ports;
  return [first, second, third];
}

/** Tries an IMAP LOGIN over TLS until it is accepted (Dovecot has read the new user), for up to a few seconds. */
async function untilLoginWorks(port: number, caFile: string, address: string, password: string): Promise<void> {
  const ca = await readFile(caFile, 'utf8');
  const deadline = Date.now() + scaled(10_000);
  for (;;) {
    const answer = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port, ca });
      let text = '';
      let sent = false;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (!sent && text.includes('\r\n')) {
          sent = true;
          socket.write(`a LOGIN "${address}" "${password}"\r\n`);
        }
        const reply = /^a (OK|NO|BAD)/m.exec(text);
        if (reply) {
          socket.end('b LOGOUT\r\n');
          resolve(reply[1]!);
        }
      });
      socket.on('error', () => resolve('ERROR')); // not up yet: tried again below
      socket.on('close', () => resolve('CLOSED'));
    });
    if (answer === 'OK') return;
    if (Date.now() > deadline) throw new Error(`the new mail user ${address} cannot log in (${answer})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
