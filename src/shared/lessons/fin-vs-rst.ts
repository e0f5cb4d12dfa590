import type { LessonInput } from '../lesson';

export const finVsRst: LessonInput = {
  id: 'fin-vs-rst',
  title: 'FIN or RST: two ways to end a connection',
  kind: 'tcp-lab',
  question: 'The client aborts a connection (RST) instead of closing it (FIN). What goes on the wire?',
  setup:
    'One TCP connection to the lab’s echo server, packets captured with tcpdump: the handshake (frames 1–3), the client’s hello and the server’s answer, each ACKed (frames 4–7); after half a second the client resets it.',
  choices: [
    {
      id: 'fin-exchange',
      label: 'A FIN from each side, each one ACKed',
      when: [
        { metric: 'rstSegments', max: 0 },
        { metric: 'finSegments', min: 1 },
      ],
    },
    {
      id: 'one-rst',
      label: 'One RST, and nothing answers it',
      when: [
        { metric: 'rstSegments', min: 1 },
        { metric: 'finSegments', max: 0 },
      ],
    },
    {
      id: 'both',
      label: 'FINs and then an RST',
      when: [
        { metric: 'rstSegments', min: 1 },
        { metric: 'finSegments', min: 1 },
      ],
    },
  ],
  expected: 'one-rst',
  experiment: {
    kind: 'tcp-keepalive',
    params: { idleS: 1, holdS: 0.5, close: 'rst', capture: true, saveCapture: true },
  },
  runs: 'Opens one connection, holds it half a second and resets it, with packet capture on (about 2 s).',
  figures: [
    { metric: 'rstSegments', label: 'RST segments' },
    { metric: 'finSegments', label: 'FIN segments' },
    { metric: 'packets', label: 'Packets in the whole connection' },
  ],
  highlight: { lanes: 'all', frames: 'rst' },
  explanation:
    'The capture shows {rstSegments} RST and {finSegments} FIN segments in {packets} packets: 3 for the handshake, 4 for the hello and its answer, and the RST. An RST says “this connection is gone now”: one segment, and nothing answers it. Its ACK flag is set, as on every segment after the handshake (it still acknowledges what arrived), but the peer sends no ACK back. Any data not yet read is thrown away; the peer’s next read or write fails with ECONNRESET. A FIN says “I have nothing more to send”: each side sends one and the other ACKs it, data already sent is still delivered, and the side that closed first waits in TIME_WAIT. In Node, a request whose connection is reset before its answer arrives fails with ECONNRESET.',
  tryChanging: 'In the TCP lab, run the keepalive experiment with “Close with” set to FIN and capture on: count the FINs and ACKs.',
};
