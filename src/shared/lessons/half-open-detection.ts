import type { LessonInput } from '../lesson';

export const halfOpenDetection: LessonInput = {
  id: 'half-open-detection',
  title: 'How long a vanished peer takes to detect',
  kind: 'tcp-lab',
  question: 'The peer vanishes without a FIN or an RST. With keepalive idle 1 s, interval 1 s and 3 probes, when does the kernel notice?',
  setup:
    'A client and a server in two network namespaces; after the handshake and one short exchange the server’s side stops answering at all, as a crashed host or a pulled cable would, and the client switches keepalive on.',
  choices: [
    { id: 'immediately', label: 'At once — TCP sees the peer is gone', when: [{ metric: 'gaveUpAfterMs', max: 999 }] },
    { id: 'idle-plus-probes', label: 'After about 4 s — idle + 3 × interval', when: [{ metric: 'gaveUpAfterMs', min: 1000, max: 10_000 }] },
    { id: 'never', label: 'Not within a minute — nothing is sent on an idle connection', when: [{ metric: 'gaveUpAfterMs', min: 60_000 }] },
  ],
  expected: 'idle-plus-probes',
  experiment: { kind: 'half-open', params: { idleS: 1, intervalS: 1, count: 3, capture: true } },
  runs: 'Builds two network namespaces, makes the peer vanish and waits for the kernel to give up (about 8 s). Needs root on Linux.',
  figures: [
    { metric: 'peerVanishedAtMs', label: 'The peer vanished at (on the timeline)', unit: 'ms' },
    { metric: 'keepaliveOnAtMs', label: 'Keepalive switched on at (on the timeline)', unit: 'ms' },
    { metric: 'gaveUpAtMs', label: 'The kernel gave up at (on the timeline)', unit: 'ms' },
    { metric: 'expectedGiveUpMs', label: 'Expected: idle + count × interval', unit: 'ms' },
    { metric: 'gaveUpAfterMs', label: 'Gave up, after keepalive was switched on', unit: 'ms' },
    { metric: 'probesSeen', label: 'Unanswered probes' },
  ],
  highlight: { lanes: 'all' },
  explanation:
    'Nothing told this side that the peer was gone: the peer sent no FIN and no RST, and with nothing to send, this side retransmitted nothing either. The peer vanished at {peerVanishedAtMs} ms on the timeline, right after one short exchange, and keepalive was switched on at {keepaliveOnAtMs} ms. The kernel counts idle from the last segment it received, so {idleS} s after that exchange it sent the first probe, then the rest {intervalS} s apart ({probesSeen} in all; the marks are drawn when `ss` showed each one, up to 0.2 s late). None was answered, so at {gaveUpAtMs} ms on the timeline, {gaveUpAfterMs} ms after keepalive was switched on (idle + count × interval = {expectedGiveUpMs} ms after the exchange), the kernel gave up: it sent an RST of its own, in case the peer is still there to hear it (the lane’s RST mark), and the socket failed with ETIMEDOUT. With Linux’s defaults (idle 7200 s, interval 75 s, 9 probes) the same discovery would take 7875 s, about 2 h 11 min; when data is waiting to be sent, retransmissions decide instead, and TCP_USER_TIMEOUT caps them.',
  tryChanging:
    'Raise the probe count to 5: the give-up moves about 2 s later (or open the example capture “A vanished peer found by keepalive”).',
};
