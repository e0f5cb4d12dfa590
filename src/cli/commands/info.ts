import { osDefaultsText } from '@shared/keepalive-settings-text';
import { parseFlags } from '../args';
import { withEngine } from '../engine';
import type { CliIo } from '../io';

export async function runInfoCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { json: { type: 'boolean' }, help: { type: 'boolean' } });
  if (values.help) {
    io.stdout('Usage: keepalive-lab info [--json]\n');
    return 0;
  }
  const info = await withEngine(io, (engine) => engine.call('app.getInfo', {}));
  if (values.json) {
    io.stdout(`${JSON.stringify(info, null, 2)}\n`);
    return 0;
  }
  const k = info.keepaliveDefaults;
  io.stdout(
    `${info.appName} ${info.appVersion} on ${info.platform}/${info.arch}, Node ${info.nodeVersion}\n` +
      `OS keepalive defaults: ${osDefaultsText(k)} (${k.source})\n`,
  );
  return 0;
}
