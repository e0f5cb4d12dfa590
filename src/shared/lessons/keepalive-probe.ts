import type { LessonInput } from '../lesson';

export const keepaliveProbe: LessonInput = {
  id: 'keepalive-probe',
  title: 'What a TCP keep-alive probe is',
  kind: 'tcp-lab',
  question:
    'A connection stays idle for 4 s with TCP keepalive idle 1 s and interval 1 s. How many keep-alive probes does the kernel send?',
  setup:
    'One TCP connection to the lab’s echo server, no data sent, packets captured with tcpdump. Then the connection is closed with FIN.',
  choices: [
    { id: 'none', label: 'None — an idle connection sends nothing', when: [{ metric: 'probes', max: 0 }] },
    { id: 'one', label: '1 — a single check after the idle time', when: [{ metric: 'probes', min: 1, max: 1 }] },
    { id: 'about-three', label: 'About 3 — one a second after the first second', when: [{ metric: 'probes', min: 2, max: 4 }] },
    { id: 'many', label: 'Dozens — it pings all the time', when: [{ metric: 'probes', min: 5 }] },
  ],
  expected: 'about-three',
  experiment: {
    kind: 'tcp-keepalive',
    params: { idleS: 1, intervalS: 1, count: 3, holdS: 4, close: 'fin', capture: true, saveCapture: true },
  },
  runs: 'Holds one idle connection for 4 s with packet capture on (about 5 s).',
  figures: [
    { metric: 'probes', label: 'Keep-alive probes' },
    { metric: 'keepAliveAcks', label: 'Their ACKs from the peer' },
    { metric: 'idleS', label: 'Idle before the first probe', unit: 's' },
    { metric: 'intervalS', label: 'Between probes', unit: 's' },
  ],
  highlight: { lanes: 'all', frames: 'keep_alive' },
  explanation:
    'After {idleS} s without data the kernel sent a first probe, then one every {intervalS} s while the connection stayed idle: {probes} probes in 4 s, and the peer answered {keepAliveAcks} of them. A probe carries no new data: its sequence number is one below the next byte to send, so the peer must answer with an ACK, and neither application sees anything. Because every probe was answered, the count (3) never ran out: the count only matters when the peer stops answering. Wireshark marks these packets “TCP Keep-Alive” and “TCP Keep-Alive ACK”, as this lab does below.',
  tryChanging: 'In the TCP lab’s keepalive experiment, set the idle time to 2 s and hold for 6 s: the first probe moves to 2 s.',
};
