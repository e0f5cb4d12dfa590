import type { LessonInput } from '../lesson';

export const halfOpenDetection: LessonInput = {
  id: 'half-open-detection',
  title: 'How long a vanished peer takes to detect',
  kind: 'tcp-lab',
  question: 'The peer vanishes without a FIN or an RST. With keepalive idle 1 s, interval 1 s and 3 probes, when does the kernel notice?',
  setup:
    'A client and a server in two network namespaces; after the handshake the server’s side stops answering at all, as a crashed host or a pulled cable would.',
  choices: [
    { id: 'immediately', label: 'At once — TCP sees the peer is gone', when: [{ metric: 'gaveUpAfterMs', max: 999 }] },
    { id: 'idle-plus-probes', label: 'After about 4 s — idle + 3 × interval', when: [{ metric: 'gaveUpAfterMs', min: 1000, max: 10_000 }] },
    { id: 'never', label: 'Not within a minute — nothing is sent on an idle connection', when: [{ metric: 'gaveUpAfterMs', min: 60_000 }] },
  ],
  expected: 'idle-plus-probes',
  experiment: { kind: 'half-open', params: { idleS: 1, intervalS: 1, count: 3, capture: true } },
  runs: 'Builds two network namespaces, makes the peer vanish and waits for the kernel to give up (about 8 s). Needs root on Linux.',
  figures: [
    { metric: 'expectedGiveUpMs', label: 'Expected: idle + count × interval', unit: 'ms' },
    { metric: 'gaveUpAfterMs', label: 'The kernel gave up after', unit: 'ms' },
    { metric: 'probesSeen', label: 'Unanswered probes' },
  ],
  highlight: { lanes: 'all' },
  explanation:
    'Nothing told this side that the peer was gone: no FIN, no RST, and with nothing to send, no retransmission either. Keepalive waited {idleS} s of silence, then sent {count} probes {intervalS} s apart; none was answered, so the kernel gave up after {gaveUpAfterMs} ms (idle + count × interval = {expectedGiveUpMs} ms) and the socket failed with ETIMEDOUT. With Linux’s defaults (idle 7200 s, interval 75 s, 9 probes) the same discovery would take 7875 s, about 2 h 11 min. When data is waiting to be sent, retransmissions decide instead, and TCP_USER_TIMEOUT caps them.',
  tryChanging:
    'Raise the probe count to 5: the give-up moves about 2 s later (or open the example capture “A vanished peer found by keepalive”).',
};
