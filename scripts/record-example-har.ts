/**
 * Records examples/browser-page-load.har: Chromium loads a small page from
 * a keep-alive HTTP/1.1 server on 127.0.0.1 — one HTML page, a stylesheet, a script and ten images,
 * each resource answered after RESOURCE_DELAY_MS — so the page load shows what the lesson
 * "what did my browser reuse?" is about: the first connection, five more opened because every
 * connection was busy (Chromium allows six per host on HTTP/1.1), the remaining requests queued
 * for one of those six, and then reused.
 *
 * The HAR is written from Chromium's own network events (the DevTools protocol's Network domain:
 * requestWillBeSent, responseReceived with its connectionId and ResourceTiming, loadingFinished),
 * the way DevTools' "Save all as HAR" and chrome-har build theirs, so `connection` holds Chromium's
 * socket id. (Playwright's recordHar writes no connection id, and no `blocked` time.)
 *
 *   node --import tsx scripts/record-example-har.ts [OUT.har]
 *
 * Needs Chromium (/usr/bin/chromium, or CHROMIUM_PATH). Loopback only.
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { harFromNetworkEvents, type NetworkEvents } from './cdp-to-har';

/** ms each resource waits before its answer: long enough that six are in flight at once */
const RESOURCE_DELAY_MS = 150;
const IMAGES = 10;
/** the server keeps idle connections this long (Node's default is 5000 ms) */
const KEEP_ALIVE_TIMEOUT_MS = 5000;

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keepalive Lab example page</title>
<link rel="stylesheet" href="/style.css"><script src="/app.js"></script></head>
<body><h1>Keepalive Lab example page</h1>
${Array.from({ length: IMAGES }, (_, index) => `<img src="/img/${index + 1}.svg" alt="tile ${index + 1}" width="40" height="40">`).join('\n')}
</body></html>
`;

function svg(index: number): string {
  const hue = (index * 37) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="hsl(${hue},60%,55%)"/></svg>`;
}

function answer(request: IncomingMessage, response: ServerResponse): void {
  const url = request.url ?? '/';
  const send = (type: string, body: string) => {
    response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    response.end(body);
  };
  if (url === '/') return send('text/html; charset=utf-8', page);
  const image = /^\/img\/(\d+)\.svg$/.exec(url);
  setTimeout(() => {
    if (url === '/style.css') send('text/css', 'img { margin: 4px; }');
    else if (url === '/app.js') send('text/javascript', 'document.documentElement.dataset.loaded = "yes";');
    else if (image?.[1]) send('image/svg+xml', svg(Number(image[1])));
    else {
      response.writeHead(404, { 'content-length': 0 });
      response.end();
    }
  }, RESOURCE_DELAY_MS);
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'examples/browser-page-load.har');
  const server = createServer(answer);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    const events: NetworkEvents = { sent: [], responses: [], finished: [], failed: [] };
    cdp.on('Network.requestWillBeSent', (event) => events.sent.push(event as NetworkEvents['sent'][number]));
    cdp.on('Network.responseReceived', (event) => events.responses.push(event as unknown as NetworkEvents['responses'][number]));
    cdp.on('Network.loadingFinished', (event) => events.finished.push(event));
    cdp.on('Network.loadingFailed', (event) => events.failed.push(event));
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await tab.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
    const har = harFromNetworkEvents(events, { browserVersion: browser.version(), title: await tab.title() });
    await writeFile(out, `${JSON.stringify(har, null, 2)}\n`);
    process.stdout.write(`recorded ${out}: ${har.log.entries.length} entries\n`);
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }
}

await main();
