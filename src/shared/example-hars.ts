/**
 * The example HAR files the lessons and the Captures page open with one click: page loads the
 * project recorded itself in Chromium against a server on its machine's loopback
 * (`npm run record:example-har`), stored as `examples/<id>.har`. The engine opens them by id
 * (`har.openExample`), never by a path from the page. No third-party HAR is shipped.
 */
export interface ExampleHar {
  /** stable id: the file is `examples/<id>.har` */
  id: string;
  title: string;
  /** one or two sentences: what to look for */
  description: string;
}

export const EXAMPLE_HARS: readonly ExampleHar[] = [
  {
    id: 'browser-page-load',
    title: 'A browser page load: six connections, then reuse',
    description:
      'Chromium loading a page of 12 resources from one local HTTP/1.1 server: five connections opened because every one was busy, the last requests queued for one of the six and reused it.',
  },
];

export function findExampleHar(id: string): ExampleHar | undefined {
  return EXAMPLE_HARS.find((example) => example.id === id);
}
