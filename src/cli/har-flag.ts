/** `--har FILE [--force]` on `http`: the run as a HAR 1.2 file, written like `--report` (atomic, no overwrite without --force). */
import { labRunToHarText } from '../main/har/session-to-har';
import { ReportWriteError, writeFileAtomically } from '../main/report/write-report';
import type { Session } from '../shared/trace';
import { CliError, type CliIo } from './io';

export const HAR_FLAGS = { har: { type: 'string' } } as const;

export const HAR_HELP = '  --har FILE     also write the run as a HAR 1.2 file (DevTools and HAR viewers open it); --force replaces FILE\n';

export async function writeHarFlag(values: { har?: string; force?: boolean }, session: Session, io: CliIo): Promise<void> {
  if (values.har === undefined) return;
  try {
    const bytes = await writeFileAtomically(values.har, labRunToHarText(session), values.force === true);
    io.stderr(`HAR written: ${values.har} (${bytes.toLocaleString('en-US')} bytes)\n`);
  } catch (error) {
    if (error instanceof ReportWriteError) throw new CliError(error.message);
    throw error;
  }
}
