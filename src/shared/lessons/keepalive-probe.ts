import type { LessonInput } from '../lesson';

export const keepaliveProbe: LessonInput = {
  id: 'keepalive-probe',
  title: 'What a TCP keep-alive probe is',
  kind: 'tcp-lab',
  question:
    'A connection stays idle for 5.5 s with TCP keepalive idle 1 s, interval 1 s and count 3. How many keep-alive probes does the kernel send?',
  setup:
    'One TCP connection to the lab’s echo server, packets captured with tcpdump: the client sends one hello and the server answers it (frames 4–7), then neither side sends data for 5.5 s. Then the connection is closed with FIN.',
  choices: [
    { id: 'none', label: 'None — an idle connection sends nothing', when: [{ metric: 'probes', max: 0 }] },
    { id: 'one', label: '1 — a single check after the idle time', when: [{ metric: 'probes', min: 1, max: 1 }] },
    { id: 'the-count', label: '3 — the count, then it stops', when: [{ metric: 'probes', min: 2, max: 3 }] },
    { id: 'about-five', label: 'About 5 — one a second for as long as it stays idle', when: [{ metric: 'probes', min: 4, max: 7 }] },
    { id: 'many', label: 'Dozens — it pings all the time', when: [{ metric: 'probes', min: 8 }] },
  ],
  expected: 'about-five',
  experiment: {
    kind: 'tcp-keepalive',
    params: { idleS: 1, intervalS: 1, count: 3, holdS: 5.5, close: 'fin', capture: true, saveCapture: true },
  },
  runs: 'Holds one idle connection for 5.5 s with packet capture on (about 7 s).',
  figures: [
    { metric: 'probes', label: 'Keep-alive probes' },
    { metric: 'keepAliveAcks', label: 'Their ACKs from the peer' },
    { metric: 'idleS', label: 'Idle before the first probe', unit: 's' },
    { metric: 'intervalS', label: 'Between unanswered probes', unit: 's' },
    { metric: 'count', label: 'Unanswered probes before giving up' },
  ],
  highlight: { lanes: 'all', frames: 'keep_alive' },
  explanation:
    'After {idleS} s without data the kernel sent a first probe and the peer answered at once; that ACK counts as hearing from the peer, so the kernel waited the idle time again before each next probe: {probes} probes in 5.5 s, {keepAliveAcks} of them answered. The interval ({intervalS} s) spaces only probes that go unanswered; here it equals the idle time. A probe carries no new data: its sequence number is one below the next byte to send, so the peer must answer with an ACK, and neither application sees anything. The count ({count}) is not how many probes are sent but how many may go unanswered in a row before the kernel gives up and resets the connection: every probe here was answered, so it went past {count} and never gave up. Wireshark marks these packets “TCP Keep-Alive” and “TCP Keep-Alive ACK”, as this lab does below.',
  tryChanging:
    'In the TCP lab’s keepalive experiment, set the idle time to 2 s (interval 1 s) and hold for 7 s: the probes go out at 2, 4 and 6 s, 2 s apart and not 1 s, because each answered probe starts the idle time again.',
};
