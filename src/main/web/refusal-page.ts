/**
 * What the web mode answers without the token: a short page that says where the token is, and a
 * script that brings a tab that still holds a token back to the app. The app keeps the token in its
 * tab's sessionStorage (not a cookie: cookies are not scoped to a port, so one for 127.0.0.1 would be
 * sent to every local server); a reload at `/` gets the app itself (server.ts), so this page is seen
 * only without a usable token (the app forgets a refused one before it comes here).
 */
export const RESUME_SCRIPT_PATH = '/resume.js';

/** The sessionStorage key the renderer keeps the token under (src/renderer/src/api/transport.ts). */
export const TOKEN_STORAGE_KEY = 'keepalive-lab-token';

export const RESUME_SCRIPT = `'use strict';
(function () {
  var key = '${TOKEN_STORAGE_KEY}';
  // refused under /t/: that token is stale (serve was restarted), forget it rather than loop
  if (location.pathname.indexOf('/t/') === 0) return sessionStorage.removeItem(key);
  var token = sessionStorage.getItem(key);
  if (token && /^[A-Za-z0-9_-]+$/.test(token)) location.replace('/t/' + token + '/' + location.hash);
})();
`;

export function refusalPage(port: number): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Keepalive Lab: token required</title><script src="${RESUME_SCRIPT_PATH}"></script></head>
<body>
<h1>Keepalive Lab</h1>
<p>Access token required: open the full address that <code>keepalive-lab serve</code> printed when it started (it begins with <code>http://127.0.0.1:${port}/t/</code>).</p>
<p>The token in it keeps other programs and web pages on this machine out of the lab.</p>
</body>
</html>
`;
}
