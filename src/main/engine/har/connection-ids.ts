/**
 * Whether a HAR's `connection` field is a real connection id depends on who wrote the file.
 * HAR 1.2 only says "unique ID of the parent TCP/IP connection, can be the client or server
 * port number"; what writers put there, read from their exports:
 *
 *   Chrome / Edge / Brave DevTools ("WebInspector")  socket id ("22269"); absent on h3 and cache hits
 *   this project's recorder (scripts/cdp-to-har.ts)  socket id (responseReceived's connectionId)
 *   chrome-har (Browsertime, sitespeed.io)           socket id; "0" on every h3 entry (not an id)
 *   Browsertime 1.x on Chrome                        socket id
 *   Safari ("WebKit Web Inspector")                  a small connection number on some entries
 *   Fiddler 4 / Fiddler 2                            "ClientPort:N;EgressPort:M" / the client port
 *   WebPageTest                                      no `connection`; the socket id is in `_socket`
 *   Firefox DevTools, Firebug                        the server port ("443"): not an id
 *   IE11, Playwright, Charles, mitmproxy             nothing
 */
import type { HarEntry } from './har-entry';

export interface ConnectionIdScheme {
  /** which field holds a connection id, or null: connections are inferred */
  field: 'connection' | '_socket' | null;
  /** a value that marks "no connection id" (chrome-har's "0" for h3) */
  noneValue: string | null;
  /** one sentence for the learner naming the writer */
  note: string;
}

function isChromeBrowser(browser: { name: string } | null): boolean {
  return browser !== null && /chrom/i.test(browser.name);
}

export function connectionIdScheme(creator: { name: string }, browser: { name: string } | null): ConnectionIdScheme {
  const name = creator.name;
  if (/^WebInspector$/i.test(name))
    return { field: 'connection', noneValue: null, note: 'Written by Chrome-family DevTools: "connection" is the socket id.' };
  if (/^chrome-har$/i.test(name))
    return {
      field: 'connection',
      noneValue: '0',
      note: 'Written by chrome-har: "connection" is the socket id ("0" on HTTP/3 entries, whose connections are inferred).',
    };
  if (/^Browsertime$/i.test(name) && isChromeBrowser(browser))
    return { field: 'connection', noneValue: null, note: 'Written by Browsertime on Chrome: "connection" is the socket id.' };
  if (/^WebKit Web Inspector$/i.test(name))
    return { field: 'connection', noneValue: null, note: 'Written by Safari: "connection" is a connection number where present.' };
  if (/^Fiddler$/i.test(name))
    return {
      field: 'connection',
      noneValue: null,
      note: 'Written by Fiddler: "connection" names the browser\'s connection to Fiddler by its ports.',
    };
  if (/^WebPage ?test$/i.test(name))
    return { field: '_socket', noneValue: null, note: 'Written by WebPageTest: the socket id is in "_socket".' };
  if (/chromium devtools protocol/i.test(name))
    return { field: 'connection', noneValue: null, note: 'Written from Chromium\'s DevTools protocol: "connection" is the socket id.' };
  if (/^keepalive-lab$/i.test(name))
    return { field: 'connection', noneValue: null, note: 'Written by Keepalive Lab: "connection" is the lab\'s connection id.' };
  if (/^(Firefox|Firebug)$/i.test(name))
    return {
      field: null,
      noneValue: null,
      note: `Written by ${name}: "connection" is the server port, not a connection, so connections are inferred from the timings.`,
    };
  return { field: null, noneValue: null, note: `Written by ${name}: no connection ids, so connections are inferred from the timings.` };
}

/** The entry's recorded connection id under this scheme, or null. */
export function recordedId(entry: HarEntry, scheme: ConnectionIdScheme): string | null {
  const value = scheme.field === 'connection' ? entry.connectionField : scheme.field === '_socket' ? entry.socketField : null;
  if (value === null || value === scheme.noneValue) return null;
  return value;
}
