/**
 * The renderer's one Content-Security-Policy. The build writes it into
 * index.html's <meta> (electron.vite.config.ts) and the shell sends the same
 * policy as a header with every app:// response, plus `frame-ancestors`, which
 * a <meta> cannot carry (CSP3 §6.4.2: ignored there, with a console error).
 * Pure: no electron import, so the build config can read it.
 *
 * No `ws:` source: the desktop window talks to the engine over IPC only; the
 * web mode's WebSocket is same-origin, which `connect-src 'self'` covers
 * (CSP3 §6.7.2.8 lets 'self' match ws: for an http: page).
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The header form: the same policy, and no page may frame the app. */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;

/** The placeholder index.html carries where the build writes RENDERER_CSP. */
export const CSP_PLACEHOLDER = '__RENDERER_CSP__';
