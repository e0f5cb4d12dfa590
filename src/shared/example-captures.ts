/**
 * The example captures the Captures page offers with one click and the lessons open: small pcaps the
 * lab recorded of its own loopback traffic with tcpdump (`npm run examples` records them again into
 * `examples/captures/`). The engine opens them by id (`capture.openExample`), never by a path from
 * the page. No third-party capture is shipped.
 */
import { z } from 'zod';

/** How `scripts/record-examples.ts` records one example. */
export const ExampleRecipeSchema = z.discriminatedUnion('kind', [
  /** `keepalive-lab <args> --capture FILE`: the CLI's own live capture */
  z.object({ kind: z.literal('cli'), args: z.array(z.string()) }),
  /** an HTTP lab run with a configuration the CLI has no flags for (merged onto the defaults) */
  z.object({ kind: z.literal('http-config'), config: z.record(z.string(), z.unknown()) }),
]);

export const ExampleCaptureSchema = z.object({
  /** stable id: the file is `examples/captures/<id>.pcap` */
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  /** one or two sentences: what to look for */
  description: z.string(),
  /** what produced it, as a reader can repeat it */
  recordedWith: z.string(),
  /** needs root and `ip netns` to record */
  needsRoot: z.boolean(),
  recipe: ExampleRecipeSchema,
});
export type ExampleCapture = z.infer<typeof ExampleCaptureSchema>;

const list: ExampleCapture[] = [
  {
    id: 'idle-keepalive-probes',
    title: 'An idle connection with keep-alive probes',
    description:
      'One TCP connection left idle for 4 s with keepalive idle 1 s, interval 1 s: after a hello and its answer, the kernel sends a probe once it has heard nothing from the peer for 1 s (the idle time). The peer ACKs each probe, and each ACK starts the idle time again, so probes go out at 1, 2 and 3 s; then the connection closes with FIN.',
    recordedWith: 'keepalive-lab tcp keepalive --idle-s 1 --interval-s 1 --count 3 --hold-s 4 --close fin --capture',
    needsRoot: false,
    recipe: {
      kind: 'cli',
      args: ['tcp', 'keepalive', '--idle-s', '1', '--interval-s', '1', '--count', '3', '--hold-s', '4', '--close', 'fin'],
    },
  },
  {
    id: 'http-idle-gaps',
    title: 'HTTP requests with idle gaps: probes and a reused connection',
    description:
      'Three HTTP requests 3 s apart on one kept connection: one handshake, three requests on the same stream, and keep-alive probes in the gaps between them.',
    recordedWith: 'keepalive-lab http --preset idle-gaps-tcp-keepalive --capture',
    needsRoot: false,
    recipe: { kind: 'cli', args: ['http', '--preset', 'idle-gaps-tcp-keepalive'] },
  },
  {
    id: 'http-drained-bodies',
    title: 'Drained bodies: 10 requests on 1 connection',
    description: 'Each response is read to its end, so every request after the first reuses the one connection: one SYN, ten requests.',
    recordedWith: 'keepalive-lab http --requests 10 --body drain --capture',
    needsRoot: false,
    recipe: { kind: 'cli', args: ['http', '--requests', '10', '--body', 'drain'] },
  },
  {
    id: 'http-ignored-bodies',
    title: 'Ignored bodies: 10 requests on 10 connections',
    description:
      'No response body is read, so no connection is ever free again: each request opens a new connection, ten handshakes, all open until the run ends.',
    recordedWith: 'keepalive-lab http --requests 10 --body ignore --capture',
    needsRoot: false,
    recipe: { kind: 'cli', args: ['http', '--requests', '10', '--body', 'ignore'] },
  },
  {
    id: 'http-keepalive-off',
    title: 'Keep-alive off: a handshake per request',
    description:
      'The client asks for `Connection: close`, so every request opens a connection and the server closes it after the response.',
    recordedWith: 'keepalive-lab http --requests 10 --keepalive off --capture',
    needsRoot: false,
    recipe: { kind: 'cli', args: ['http', '--requests', '10', '--keepalive', 'off'] },
  },
  {
    id: 'rst-close',
    title: 'A connection closed by RST',
    description: 'The client aborts the connection: one RST segment, no FIN exchange and nothing answers it.',
    recordedWith: 'keepalive-lab tcp keepalive --idle-s 1 --hold-s 0.5 --close rst --capture',
    needsRoot: false,
    recipe: { kind: 'cli', args: ['tcp', 'keepalive', '--idle-s', '1', '--hold-s', '0.5', '--close', 'rst'] },
  },
  {
    id: 'zero-window',
    title: 'A zero window: the reader stops reading',
    description:
      'The client does not read an 8 MB response, its receive buffer fills and it advertises a window of 0; the server then sends zero-window probes. Linux sends them with the sequence number one below the next byte, so Wireshark (and this tool) mark some of them as keep-alives.',
    recordedWith: 'an HTTP lab run: 2 requests 1.5 s apart, 8 MB bodies, bodies not read',
    needsRoot: false,
    recipe: { kind: 'http-config', config: { requests: 2, intervalMs: 1500, body: 'ignore', server: { bodyBytes: 8 * 1024 * 1024 } } },
  },
  {
    id: 'half-open-detected',
    title: 'A vanished peer found by keepalive',
    description:
      'The peer disappears without FIN or RST. Keepalive probes (idle 1 s, then every 1 s) go unanswered; after the third the kernel gives up and resets the connection, about 4 s after the last data.',
    recordedWith: 'keepalive-lab tcp half-open --idle-s 1 --interval-s 1 --count 3 --capture (root, two network namespaces)',
    needsRoot: true,
    recipe: { kind: 'cli', args: ['tcp', 'half-open', '--idle-s', '1', '--interval-s', '1', '--count', '3'] },
  },
];

export const EXAMPLE_CAPTURES: readonly ExampleCapture[] = list.map((example) => ExampleCaptureSchema.parse(example));

export const ExampleIdSchema = z
  .string()
  .regex(/^[a-z0-9-]+$/)
  .max(64);

export function findExample(id: string): ExampleCapture | undefined {
  return EXAMPLE_CAPTURES.find((example) => example.id === id);
}
