/**
 * `npm run bench`: every speed and memory figure the issues ask for, side by side, in one run.
 *   npm run bench                       all sections
 *   npm run bench -- --only capture,http
 *   npm run bench -- --synthetic        the capture section writes a synthetic capture instead of running tcpdump on lo
 *   npm run bench -- --only big-capture a 20 M-packet capture: our analysis vs tshark (opt-in: minutes, GBs of disk)
 * Sections: capture (our analysis vs tshark vs pcap-parser vs a bare walk on a 3.04 M-packet
 * capture of real loopback traffic taken with tcpdump, or a synthetic one where tcpdump cannot
 * run), tcp (mux vs pool vs new connection; proxy vs direct), http (reused vs new, embedded server
 * vs nginx; the lab vs a bare Node loop at 10,000 and 100,000 requests), report (3 M-packet report render/write), timeline (pan/zoom draw time in Chromium
 * on a 1 M-packet capture), streams (a 120,000-stream capture's first screen in Chromium), load (1,000 proxied connections, 10,000 in-flight requests).
 */
import { parseArgs } from 'node:util';

/** `optIn`: runs only when `--only` names it (minutes and gigabytes: never part of a plain `npm run bench`). */
type Section = { name: string; run: () => Promise<string>; optIn?: boolean };

/** the loopback capture's bound, ms: 3.04 M packets took about 61 s here; past this the bench analyzes what it has */
const CAPTURE_TIMEOUT_MS = 180_000;

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits });

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const lines = [headers, headers.map(() => '---'), ...rows.map((r) => r.map(String))];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const sections: Section[] = [
  {
    name: 'capture',
    run: async () => {
      const { benchCaptureAnalyze } = await import('./capture-analyze');
      const { makeBenchCapture } = await import('./make-loopback-capture');
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const dir = mkdtempSync(join(tmpdir(), 'kl-bench-'));
      const file = join(dir, 'loopback-3M.pcap');
      try {
        const capture = await makeBenchCapture(file, 3_040_000, { synthetic: values.synthetic === true, timeoutMs: CAPTURE_TIMEOUT_MS });
        const analyze = await benchCaptureAnalyze(file);
        const rows: Array<Array<string | number>> = [
          [
            'this analyzer on one thread (read + decode + Wireshark flags + summaries)',
            fmt(analyze.analyzeMilliseconds),
            fmt(analyze.analyzeCpuMilliseconds),
            fmt(analyze.analyzePeakRssMegabytes),
          ],
          ['… then every stream summary as an object (analyze --json)', `+${fmt(analyze.summaryObjectsMilliseconds)}`, '', ''],
          [
            'this analyzer on two threads (packet columns and stream summaries on the second; the default for files of 128 MB or more)',
            fmt(analyze.twoThreadsMilliseconds),
            fmt(analyze.twoThreadsCpuMilliseconds),
            fmt(analyze.twoThreadsPeakRssMegabytes),
          ],
          [
            'tshark -r F -Y tcp.analysis.keep_alive',
            fmt(analyze.tsharkMilliseconds),
            fmt(analyze.tsharkCpuMilliseconds),
            fmt(analyze.tsharkPeakRssMegabytes),
          ],
          ...analyze.read.map((phase) => [phase.phase, fmt(phase.milliseconds), fmt(phase.cpuMilliseconds), fmt(phase.peakRssMegabytes)]),
        ];
        // the app's default at this size is two threads; one thread's ratio is given too
        const vsTshark = analyze.tsharkMilliseconds ? analyze.tsharkMilliseconds / analyze.twoThreadsMilliseconds : null;
        const vsTsharkOneThread = analyze.tsharkMilliseconds ? analyze.tsharkMilliseconds / analyze.analyzeMilliseconds : null;
        const vsWalk = analyze.analyzeMilliseconds / analyze.bareWalkMilliseconds;
        const minimal = analyze.read.find((phase) => phase.phase === 'minimal-loop');
        return (
          `${capture.description}\n` +
          `${fmt(analyze.packets)} packets, ${fmt(analyze.bytes / 1e6, 1)} MB, ${fmt(analyze.streams)} streams, ${fmt(analyze.keepAlives)} keep-alives\n` +
          (analyze.fromBundle
            ? `the analysis timed as the app runs it: in its bundled capture worker (out/main/capture-worker.js)\n\n`
            : `the analysis timed from TypeScript source (run \`npm run build\` first to time the app's bundle)\n\n`) +
          table(['what', 'ms wall', 'ms CPU', 'peak RSS MB'], rows) +
          `\n\nanalysis (two threads, the app's default at this size) is ${fmt(vsTshark, 1)}× faster than tshark (target ≥ 50×;` +
          ` one thread: ${fmt(vsTsharkOneThread, 1)}×); one thread is ${fmt(vsWalk, 2)}× the bare walk (target ≤ 3×);` +
          ` the minimal loop alone is ${fmt(minimal ? minimal.milliseconds / analyze.bareWalkMilliseconds : null, 2)}× the bare walk\n` +
          `full analysis / minimal loop: ${fmt(minimal ? analyze.analyzeMilliseconds / minimal.milliseconds : null, 2)}× in wall time,` +
          ` ${fmt(minimal ? analyze.analyzeCpuMilliseconds / minimal.cpuMilliseconds : null, 2)}× in CPU; on two threads` +
          ` ${fmt(minimal ? analyze.twoThreadsMilliseconds / minimal.milliseconds : null, 2)}× in wall time (target ≤ 2× in wall time, issue 15)\n\n` +
          `each stage of the analysis alone (bench/capture-stages.ts: over segments decoded beforehand, the faster of two runs):\n\n` +
          table(
            ['stage', 'thread', 'ms', 'ns a segment'],
            analyze.stages.stages.map((stage) => [
              stage.stage,
              String(stage.thread),
              fmt(stage.milliseconds),
              fmt(stage.nanosecondsPerSegment),
            ]),
          ) +
          `\n\nthe stages add up to ${fmt(analyze.stages.totalMilliseconds)} ms of CPU: split perfectly over two cores, with nothing for` +
          ` the hand-off between threads, that is ${fmt(analyze.stages.totalMilliseconds / 2)} ms of wall time,` +
          ` ${fmt(minimal ? analyze.stages.totalMilliseconds / 2 / minimal.milliseconds : null, 2)}× the minimal loop;` +
          ` the two-thread analysis gives the first thread ${fmt(analyze.stages.firstThreadMilliseconds)} ms of them` +
          ` (${fmt(minimal ? analyze.stages.firstThreadMilliseconds / minimal.milliseconds : null, 2)}× the minimal loop) and the second` +
          ` ${fmt(analyze.stages.secondThreadMilliseconds)} ms (${fmt(minimal ? analyze.stages.secondThreadMilliseconds / minimal.milliseconds : null, 2)}×),` +
          ` before either side's share of the hand-off`
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  { name: 'tcp', run: async () => (await (await import('./tcp')).benchTcp()).text },
  {
    name: 'http',
    run: async () =>
      `${(await (await import('./http')).benchHttp()).text}\n\n${(await (await import('./http-scale')).benchHttpScale()).text}`,
  },
  {
    name: 'report',
    run: async () => {
      const { benchReport, formatReportBench } = await import('./report');
      return formatReportBench(await benchReport());
    },
  },
  {
    name: 'timeline',
    run: async () => {
      const result = await (await import('./timeline')).benchTimeline();
      return (
        table(
          ['packets', 'steps', 'median ms per pan/zoom draw', 'p95 ms'],
          [[fmt(result.packets), result.steps, fmt(result.medianMs, 2), fmt(result.p95Ms, 2)]],
        ) + '\n\ntarget: median < 16 ms'
      );
    },
  },
  {
    name: 'streams',
    run: async () => {
      const result = await (await import('./stream-paging')).benchStreamPaging();
      return (
        table(
          [
            'streams',
            'packets',
            'answer → summary + first stream rows, ms',
            'capture.open answer',
            'file → first rows, ms',
            'page heap after scrolling to the end',
          ],
          [
            [
              fmt(result.streams),
              fmt(result.packets),
              fmt(result.answerToFirstScreenMs),
              `${fmt(result.answerBytes / 1e6, 2)} MB`,
              fmt(result.importMs),
              `${fmt(result.heapMb, 1)} MB`,
            ],
          ],
        ) + '\n\ntarget: answer → first screen < 1,000 ms (web mode, Chromium)'
      );
    },
  },
  { name: 'load', run: async () => (await (await import('./load')).benchLoad()).text },
  {
    name: 'big-capture',
    optIn: true,
    run: async () => {
      const { benchBigCapture, formatBigCapture } = await import('./big-capture');
      return formatBigCapture(await benchBigCapture({ synthetic: values.synthetic === true }));
    },
  },
];

const { values } = parseArgs({ options: { only: { type: 'string' }, synthetic: { type: 'boolean' } } });
const wanted = values.only?.split(',').map((s) => s.trim());
for (const section of sections) {
  if (wanted ? !wanted.includes(section.name) : section.optIn === true) continue;
  const started = performance.now();
  process.stdout.write(`\n## ${section.name}\n\n`);
  try {
    process.stdout.write(`${await section.run()}\n`);
  } catch (error) {
    process.stdout.write(`FAILED: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
  process.stdout.write(`\n(${section.name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
