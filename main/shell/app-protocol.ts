/**
 * Serves the built renderer over the custom `medseal-app://` scheme instead
 * of file://: only files inside the renderer folder, never a path that
 * escapes it, always with a strict Content-Security-Policy.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY, rendererFileFor } from './renderer-path.js';

export { CONTENT_SECURITY_POLICY };

export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
  ]);
}

export function serveAppScheme(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(rendererRoot, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    let response: Response;
    try {
      response = await net.fetch(pathToFileURL(file).toString());
    } catch (error) {
      // net.fetch rejects with a plain Error named by Chromium's net error: a file the build does not
      // have is a 404, as from any server; anything else (unreadable: a damaged install) is a 500.
      const missing = error instanceof Error && /ERR_FILE_NOT_FOUND/.test(error.message);
      return new Response(missing ? 'Not found' : 'Cannot be read', { status: missing ? 404 : 500 });
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
