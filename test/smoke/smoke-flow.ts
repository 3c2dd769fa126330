/**
 * What `npm run smoke` does in the real Electron app: three launches on
 * temporary profiles (the app allows one instance at a time). A recipient
 * creates an identity; a sender creates one, imports and verifies the
 * recipient's card, and seals a file; the recipient unlocks and opens it.
 * Then the CLI through the same binary (`--cli`, as the installers' `medseal`
 * runs it), with no display: its version, the recipient's card, an exit code.
 * Every launch checks, at run time, the window's sandbox, context isolation
 * and Content Security Policy. Dialogs are answered by replacing Electron's
 * `dialog` functions in the main process, the only stand-in.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { fillNewIdentity } from '../helpers/identity-form.js';
import { scaled } from '../helpers/time.js';

export interface SmokeOptions {
  readonly electronBinary: string;
  readonly appFolder: string;
  readonly work: string;
  readonly log: (line: string) => void;
}

const PASSPHRASE = 'smoke walnut harbour violet';
const RECIPIENT = {
  name: 'Smoke Recipient',
  organisation: 'Smoke Clinic',
  role: 'Radiologist',
  email: 'recipient@smoke.example',
  passphrase: PASSPHRASE,
};
const SENDER = {
  name: 'Smoke Sender',
  organisation: 'Smoke Hospital',
  role: 'Cardiologist',
  email: 'sender@smoke.example',
  passphrase: PASSPHRASE,
};

export class SmokeFailure extends Error {}

function check(condition: boolean, what: string): void {
  if (!condition) throw new SmokeFailure(what);
}

interface Launched {
  readonly app: ElectronApplication;
  readonly page: Page;
  /** Queues the paths the next open or save dialog returns. */
  readonly answerDialog: (paths: string[]) => Promise<void>;
}

async function launch(options: SmokeOptions, profile: string): Promise<Launched> {
  const app = await _electron.launch({
    executablePath: options.electronBinary,
    args: [options.appFolder],
    env: { ...process.env, MEDSEAL_HOME: profile, ELECTRON_ENABLE_LOGGING: '0' },
    timeout: scaled(60_000),
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  await app.evaluate(({ dialog }) => {
    const queue: string[][] = [];
    (globalThis as { __smokeAnswers?: string[][] }).__smokeAnswers = queue;
    const next = () => queue.shift() ?? [];
    dialog.showOpenDialog = async () => {
      const paths = next();
      return { canceled: paths.length === 0, filePaths: paths };
    };
    dialog.showSaveDialog = async () => {
      const [path] = next();
      return { canceled: path === undefined, filePath: path ?? '' };
    };
  });
  const answerDialog = async (paths: string[]) => {
    await app.evaluate(
      (_electron, answer) => void (globalThis as { __smokeAnswers?: string[][] }).__smokeAnswers?.push(answer),
      paths,
    );
  };
  await checkHardening(app, page, options.log);
  return { app, page, answerDialog };
}

/** Run-time proof of the window settings that docs/SECURITY.md promises. */
async function checkHardening(app: ElectronApplication, page: Page, log: (line: string) => void): Promise<void> {
  const preferences = await app.evaluate(({ BrowserWindow }) => {
    const [window] = BrowserWindow.getAllWindows();
    // getLastWebPreferences is Electron's own (untyped) record of what the window was created with.
    const contents = window?.webContents as unknown as
      | {
          getLastWebPreferences?: () => Record<string, unknown> | null;
          getOSProcessId: () => number;
          getURL: () => string;
        }
      | undefined;
    const settings = contents?.getLastWebPreferences?.() ?? null;
    return {
      windows: BrowserWindow.getAllWindows().length,
      url: contents?.getURL() ?? '',
      pid: contents?.getOSProcessId() ?? 0,
      settings,
    };
  });
  check(preferences.windows === 1, `expected one window, found ${preferences.windows}`);
  check(preferences.url.startsWith('medseal-app://'), `the window shows ${preferences.url}, not the app's own origin`);
  check(preferences.settings !== null, 'Electron did not report the window settings');
  check(preferences.settings?.sandbox === true, 'the window is not sandboxed');
  check(preferences.settings?.contextIsolation === true, 'the window has no context isolation');
  check(preferences.settings?.nodeIntegration !== true, 'the window has Node integration');
  if (process.platform === 'linux') {
    // The OS-level proof: a sandboxed Chromium renderer runs under a seccomp-bpf filter (mode 2).
    const status = await readFile(`/proc/${preferences.pid}/status`, 'utf8');
    check(/^Seccomp:\s*2$/m.test(status), `the renderer process ${preferences.pid} runs without a seccomp filter`);
  }
  const probe = await page.evaluate(() => {
    const scope = window as unknown as Record<string, unknown>;
    let evalBlocked = false;
    try {
      new Function('return 1')();
    } catch (error) {
      evalBlocked = error instanceof EvalError;
    }
    const inline = document.createElement('script');
    inline.textContent = 'window.__smokeInlineRan = true';
    document.head.append(inline);
    return {
      evalBlocked,
      inlineRan: scope.__smokeInlineRan === true,
      node: typeof scope.require !== 'undefined' || typeof scope.process !== 'undefined',
      api: typeof scope.medseal === 'object',
    };
  });
  check(probe.evalBlocked, 'the Content Security Policy lets the page evaluate strings');
  check(!probe.inlineRan, 'the Content Security Policy lets an inline script run');
  check(!probe.node, 'the page can reach Node (require or process)');
  check(probe.api, 'the preload did not expose the MedSeal API');
  check((await page.title()) === 'MedSeal', `the window title is "${await page.title()}"`);
  log(
    '  window: sandboxed (renderer under seccomp on Linux), context-isolated, no Node, CSP blocks eval and inline scripts',
  );
}

async function createIdentity(page: Page, identity: typeof SENDER): Promise<string> {
  await page.getByLabel('Full name').waitFor({ timeout: scaled(30_000) });
  await fillNewIdentity(page, identity);
  await page.getByRole('button', { name: 'Create my identity' }).click();
  await page.getByRole('heading', { name: 'Your contact card' }).waitFor({ timeout: scaled(60_000) });
  return page.getByLabel('Card text', { exact: true }).inputValue();
}

export async function runSmoke(options: SmokeOptions): Promise<void> {
  const recipientProfile = join(options.work, 'recipient-profile');
  const senderProfile = join(options.work, 'sender-profile');
  const original = join(options.work, 'smoke referral.bin');
  const sealed = join(options.work, 'smoke.medseal');
  const received = join(options.work, 'received');
  const bytes = randomBytes(2 * 1024 * 1024 + 13);
  await writeFile(original, bytes);
  await mkdir(received);

  options.log('1/4 recipient: first run, new identity');
  let run = await launch(options, recipientProfile);
  const recipientCard = await createIdentity(run.page, RECIPIENT);
  await run.app.close();

  options.log('2/4 sender: new identity, import and verify the card, seal a file');
  run = await launch(options, senderProfile);
  await createIdentity(run.page, SENDER);
  await run.page.getByLabel('Paste the card text from an e-mail').fill(recipientCard);
  await run.page.getByRole('button', { name: 'Import pasted card' }).click();
  await run.page.getByText(`${RECIPIENT.name} was added`).waitFor();
  await run.page.getByRole('button', { name: `Verify ${RECIPIENT.name}` }).click();
  await run.page.getByRole('button', { name: /The numbers match/ }).click();
  await run.page.getByRole('cell', { name: 'Verified' }).waitFor();
  await run.page.getByRole('button', { name: 'Send' }).click();
  await run.answerDialog([original]);
  await run.page.getByRole('button', { name: 'Choose files…' }).click();
  await run.page.getByLabel('Recipients').fill('Smoke');
  await run.page.getByRole('button', { name: new RegExp(`^${RECIPIENT.name}, ${RECIPIENT.organisation}`) }).click();
  await run.answerDialog([sealed]);
  await run.page.getByRole('button', { name: 'Seal and save…' }).click();
  await run.page.getByRole('button', { name: 'Seal for this recipient' }).click(); // the recipients, confirmed once more
  await run.page.getByRole('heading', { name: 'Saved — not sent yet' }).waitFor({ timeout: scaled(60_000) });
  await run.app.close();

  options.log('3/4 recipient: unlock, open the package, compare the bytes');
  run = await launch(options, recipientProfile);
  await run.page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await run.page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await run.page.getByRole('button', { name: 'Receive' }).click();
  await run.answerDialog([sealed]);
  await run.page.getByRole('button', { name: 'Open a package…' }).click();
  await run.page.getByRole('heading', { name: 'From' }).waitFor({ timeout: scaled(60_000) });
  await run.answerDialog([received]);
  await run.page.getByRole('button', { name: 'Save files…' }).click();
  await run.page.getByText(/All 1 file\(s\) were verified and saved/).waitFor({ timeout: scaled(60_000) });
  await run.app.close();
  check(
    (await readFile(join(received, 'smoke referral.bin'))).equals(bytes),
    'the opened file differs from the sealed one',
  );

  options.log('4/4 the CLI through the app binary (--cli), without a display');
  smokeCli(options, recipientProfile);
}

/** `electron app/ <the Linux wrapper's switches> --cli -- args`, with no display, as the `medseal` wrappers run it. */
function smokeCli(options: SmokeOptions, profile: string): void {
  const cli = (args: readonly string[]) =>
    spawnSync(
      options.electronBinary,
      [options.appFolder, '--ozone-platform=headless', '--disable-gpu', '--cli', '--', ...args],
      {
        env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', MEDSEAL_PASSPHRASE: PASSPHRASE },
        encoding: 'utf8',
        timeout: scaled(60_000),
      },
    );
  const version = cli(['--version']);
  check(version.status === 0 && /^\d+\.\d+\.\d+\n$/.test(version.stdout), `--cli --version: ${version.stderr}`);
  const shown = cli(['--home', profile, '--json', 'identity', 'show']);
  check(shown.status === 0 && shown.stdout.includes(RECIPIENT.email), `--cli identity show: ${shown.stderr}`);
  const none = cli(['--home', join(options.work, 'no-profile'), 'identity', 'show']);
  check(
    none.status !== 0 && none.status !== null && none.stderr.includes('no identity'),
    `--cli on an empty profile exited with ${none.status}: ${none.stderr}`,
  );
}
