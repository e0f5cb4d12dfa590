/**
 * Which URLs are the app's own: the app:// entry in a built app, the dev
 * server's origin under `electron-vite dev`. Compared as parsed origins, never
 * as string prefixes: `http://localhost:5173@evil.example/` starts with the dev
 * URL but its host is evil.example.
 */
import { APP_HOST, APP_SCHEME } from './app-protocol';

/** scheme, host and port of a URL, or null when it does not parse */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // WHATWG URL gives "null" as the origin of a non-special scheme such as app:, so build it from the parts
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/** The origin the window's page must come from. */
export function appOrigin(devUrl: string | null): string {
  return (devUrl ? originOf(devUrl) : null) ?? `${APP_SCHEME}://${APP_HOST}`;
}

export function isAppUrl(url: string | null | undefined, devUrl: string | null): boolean {
  return typeof url === 'string' && originOf(url) === appOrigin(devUrl);
}
