import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createService } from '@engine/service';
import { startWebServer } from '../../main/web/server';
import { intFlag, parseFlags } from '../args';
import { CliError, type CliIo } from '../io';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export async function runServeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, {
    port: { type: 'string' },
    'renderer-dir': { type: 'string' },
    'allow-remote-targets': { type: 'boolean' },
    'allow-privileged-ports': { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(
      'Usage: keepalive-lab serve [--port P] [--allow-remote-targets] [--allow-privileged-ports]\n' +
        'Serves the UI on 127.0.0.1 only; open the printed URL (it carries the access token). Ctrl-C stops it.\n' +
        '  --allow-remote-targets    let the HTTP lab, TCP experiments and proxy connect to hosts other than this machine\n' +
        '  --allow-privileged-ports  let echo servers and proxies listen on ports below 1024\n',
    );
    return 0;
  }
  const rendererDir = resolve(values['renderer-dir'] ?? join(repoRoot, 'out/renderer'));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new CliError(`the UI is not built (${rendererDir}/index.html missing): run \`npm run build\` first`);
  }
  const service = createService({
    mode: 'web',
    allowRemoteTargets: values['allow-remote-targets'] === true,
    allowPrivilegedPorts: values['allow-privileged-ports'] === true,
  });
  const port = intFlag('port', values.port, 0, 0, 65535);
  const web = await startWebServer({ service, rendererDir, uploadDir: join(service.dataDir, 'uploads'), port }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new CliError(error.code === 'EADDRINUSE' ? `port ${port} is already in use` : error.message);
    },
  );
  io.stdout(`Keepalive Lab at ${web.url}\nSaved captures go to ${service.dataDir} (private to this user)\n`);
  await new Promise<void>((done) => {
    if (io.signal.aborted) return done();
    io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await web.close();
  await service.dispose();
  io.stdout('stopped\n');
  return 0;
}
