/**
 * Maps a `medseal-app://ui/...` request to a file inside the renderer folder,
 * or null when the request would leave it. Kept free of Electron imports so
 * it can be tested in plain Node.
 */
import { isAbsolute, relative, resolve } from 'node:path';

/** No remote origins, no inline script, no eval; images may be data: URLs (QR codes). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const APP_SCHEME = 'medseal-app';
export const APP_HOST = 'ui';

export function rendererFileFor(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch (error) {
    if (error instanceof TypeError) return null; // not a URL at all
    throw error;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch (error) {
    if (error instanceof URIError) return null; // a malformed %-escape
    throw error;
  }
  if (pathname.includes('\0')) return null;
  const target = resolve(root, `.${pathname}`);
  const fromRoot = relative(resolve(root), target);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) return null;
  return target;
}
