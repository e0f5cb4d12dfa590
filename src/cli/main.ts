/**
 * `keepalive-lab` — the same engine as the app, headless.
 * Each command lives in commands/<name>.ts and is loaded only when used.
 */
import { APP_VERSION } from '../main/engine/version';
import { CliError, type CliIo } from './io';

type Command = (argv: string[], io: CliIo) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  info: {
    summary: 'app version, platform and the OS keepalive defaults (--json)',
    load: async () => (await import('./commands/info')).runInfoCommand,
  },
  analyze: {
    summary: 'analyze a pcap/pcapng capture (keep-alives exactly as Wireshark) or a browser HAR file (connection reuse) (--json)',
    load: async () => (await import('./commands/analyze')).runAnalyzeCommand,
  },
  http: {
    summary: 'HTTP keep-alive lab: reuse vs new connections, body drain, the idle race (--json)',
    load: async () => (await import('./commands/http')).runHttpCommand,
  },
  tcp: {
    summary: 'TCP lab: echo | mux | pool | proxy | keepalive | half-open on real loopback sockets',
    load: async () => (await import('./commands/tcp')).runTcpCommand,
  },
  learn: {
    summary: 'guided lessons: --list, or run one and see whether the usual answer held (--json)',
    load: async () => (await import('./commands/learn')).runLearnCommand,
  },
  correlate: {
    summary: 'join a saved lab run with a capture of it (--session RUN.json --capture F.pcap --json)',
    load: async () => (await import('./commands/correlate')).runCorrelateCommand,
  },
  report: {
    summary: 'turn a saved JSON report into HTML or Markdown (--from F.json --out F.html [--force])',
    load: async () => (await import('./commands/report')).runReportCommand,
  },
  serve: {
    summary: 'web mode: the UI on 127.0.0.1 with a token (--port P)',
    load: async () => (await import('./commands/serve')).runServeCommand,
  },
};

export const HELP = `Keepalive Lab ${APP_VERSION} — see TCP keepalive and HTTP keep-alive

Usage: keepalive-lab <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Options:
  --help       this text (also: keepalive-lab <command> --help)
  --version    the version
`;

function defaultIo(): CliIo {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    signal: controller.signal,
  };
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${APP_VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`keepalive-lab: unknown command "${name}" (try --help)\n`);
    return 1;
  }
  try {
    return await (
      await command.load()
    )(rest, io);
  } catch (error) {
    const message = error instanceof CliError ? error.message : error instanceof Error ? error.message : String(error);
    io.stderr(`keepalive-lab ${name}: ${message}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
