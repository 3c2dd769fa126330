/**
 * Runs the built renderer in Debian's Chromium (playwright-core) against the
 * real app core: a local server serves app/dist/renderer with the app's CSP;
 * `window.medseal` is the preload's API rebuilt on Playwright's exposeBinding,
 * which calls the same dispatcher ipcMain calls; dialogs are scripted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';

export { launchChromium };
import { createMedSealApp, type MedSealApp } from '../../main/app/medseal-app.js';
import { KeptWorkerTransports } from '../../main/jobs/worker-transport.js';
import { WorkerPackageJobs } from '../../main/jobs/worker-package-jobs.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import type { PolicyState } from '../../main/policy/load-policy.js';
import { CONTENT_SECURITY_POLICY, rendererFileFor } from '../../main/shell/renderer-path.js';
import { FakeHost } from '../helpers/fake-host.js';
import { tempFolder } from '../helpers/temp-folder.js';

const ROOT = join(process.cwd(), 'app', 'dist', 'renderer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export async function serveRenderer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => void serve(request, response));
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const file = rendererFileFor(ROOT, `medseal-app://ui${request.url ?? '/'}`);
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!body || !file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    });
    response.end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { origin: `http://127.0.0.1:${address.port}`, server };
}

export interface Party {
  readonly app: MedSealApp;
  readonly host: FakeHost;
  readonly page: Page;
  readonly cspViolations: string[];
}

/** A clinician's app: real core, temporary profile, Chromium page showing the renderer; `policy`: the test's, else none. */
export async function openParty(
  browser: Browser,
  origin: string,
  profileFolder: string,
  options: { policy?: PolicyState } = {},
): Promise<Party> {
  const host = new FakeHost();
  const app = createMedSealApp({
    policy: options.policy,
    folder: new ProfileFolder(profileFolder),
    host,
    jobs: new WorkerPackageJobs(join(process.cwd(), 'dist', 'workers', 'package-worker.cjs')),
    transports: new KeptWorkerTransports(join(process.cwd(), 'dist', 'workers', 'transport-worker.cjs')),
    origin,
    readerPage: join(process.cwd(), 'app', 'dist', 'medseal-reader.html'),
  });
  const { page, cspViolations } = await openWindow(browser, origin, app, host);
  return { app, host, page, cspViolations };
}

/**
 * One more window on a party's app core (the same session), e.g. at another size or zoom:
 * `deviceScaleFactor: 2` with a 512×350 viewport is what a 1024×700 window shows at 200 %.
 */
export async function openWindow(
  browser: Browser,
  origin: string,
  app: MedSealApp,
  host: FakeHost,
  size: { viewport: { width: number; height: number }; deviceScaleFactor?: number } = {
    viewport: { width: 1100, height: 800 },
  },
): Promise<{ page: Page; cspViolations: string[] }> {
  const context = await browser.newContext(size);
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.exposeBinding('__medsealInvoke', (source, channel: string, payload: unknown) =>
    app.dispatch(channel, { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, payload),
  );
  const emit = host.emit.bind(host);
  host.emit = (name, payload) => {
    emit(name, payload);
    void page
      .evaluate(
        ([event, data]) =>
          (window as unknown as { __medsealEmit?: (e: string, d: unknown) => void }).__medsealEmit?.(event, data),
        [name, payload] as const,
      )
      .catch(() => undefined);
  };
  await page.addInitScript(() => {
    const listeners = new Map<string, Set<(payload: unknown) => void>>();
    const invoke = (window as unknown as { __medsealInvoke: (channel: string, payload: unknown) => Promise<unknown> })
      .__medsealInvoke;
    (window as unknown as Record<string, unknown>).__medsealEmit = (event: string, payload: unknown) =>
      listeners.get(event)?.forEach((listener) => listener(payload));
    // As the preload does: real (trusted) input reports activity, at most every 5 seconds.
    let lastActivity = 0;
    for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart']) {
      window.addEventListener(
        type,
        (event) => {
          if (!event.isTrusted || Date.now() - lastActivity < 5_000) return;
          lastActivity = Date.now();
          void invoke('session.activity', {});
        },
        { capture: true, passive: true },
      );
    }
    (window as unknown as Record<string, unknown>).medseal = Object.freeze({
      call: (channel: string, request: unknown) => invoke(channel, request),
      on: (event: string, listener: (payload: unknown) => void) => {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
        return () => listeners.get(event)!.delete(listener);
      },
      registerDroppedFile: () =>
        Promise.resolve({
          ok: false,
          error: { code: 'FILE_REFUSED', category: 'invalid-input', message: 'Drops are not simulated here.' },
        }),
    });
  });
  await page.goto(`${origin}/index.html`);
  return { page, cspViolations };
}

/**
 * Takes the screen's picture: into docs/screenshots/ only with UPDATE_SCREENSHOTS=1 (so that
 * `npm test` never changes tracked files), else into a temporary folder (the capture still runs).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const folder =
    process.env.UPDATE_SCREENSHOTS === '1'
      ? join(process.cwd(), 'docs', 'screenshots')
      : await tempFolder('medseal-screens-');
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** axe-core on the current screen; returns serious and critical violations. */
export async function axeViolations(
  page: Page,
): Promise<{ id: string; impact: string; nodes: number; targets: string[] }[]> {
  const source = await readFile(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.length,
      targets: (violation.nodes as { target: string[]; failureSummary?: string }[]).map(
        (node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
      ),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
