/** `--har FILE [--force]` on `http`: the run as a HAR 1.2 file, written like `--report` (atomic, no overwrite without --force). */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Session } from '../shared/trace';
import { withEngine } from './engine';
import { CliError, type CliIo } from './io';

export const HAR_FLAGS = { har: { type: 'string' } } as const;

export const HAR_HELP = '  --har FILE     also write the run as a HAR 1.2 file (DevTools and HAR viewers open it); --force replaces FILE\n';

export async function writeHarFlag(values: { har?: string; force?: boolean }, session: Session, io: CliIo): Promise<void> {
  if (values.har === undefined) return;
  const path = resolve(values.har);
  const { bytes } = await withEngine(io, (engine) => engine.call('har.save', { session, path, force: values.force === true }));
  io.stderr(`HAR written: ${values.har} (${bytes.toLocaleString('en-US')} bytes)\n`);
}

/** Refuses before the run starts, so a taken name does not cost a whole run (checked again when writing). */
export async function refuseExistingHar(values: { har?: string; force?: boolean }): Promise<void> {
  if (values.har === undefined || values.force === true) return;
  const existing = await stat(resolve(values.har)).catch(() => null);
  if (existing) throw new CliError(`${resolve(values.har)} already exists; choose another name or overwrite it (--force)`);
}
