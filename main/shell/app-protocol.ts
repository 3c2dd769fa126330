/**
 * Serves the built renderer over the custom `medseal-app://` scheme instead
 * of file://: only files inside the renderer folder, never a path that
 * escapes it, always with a strict Content-Security-Policy.
 */
import { net, protocol } from 'electron';
import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_SCHEME = 'medseal-app';
export const APP_ORIGIN = `${APP_SCHEME}://ui`;
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
}

/** Maps a request URL to a file inside `root`, or null when it would escape it. */
export function resolveInside(root: string, requestUrl: string): string | null {
  const url = new URL(requestUrl);
  if (url.host !== 'ui') return null;
  const pathname = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  const target = resolve(root, `.${pathname}`);
  const fromRoot = relative(root, target);
  if (fromRoot.startsWith('..') || fromRoot.includes(`..${sep}`) || resolve(root, fromRoot) !== target) return null;
  return target;
}

export function serveAppScheme(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveInside(rendererRoot, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
