/**
 * Where a lab run's saved pcap goes: the engine's private data folder, named after the run's job
 * id plus a random part (the file is created exclusively, so two runs with one job id must not
 * share a name).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensurePrivateFolder, PrivateFolderError } from '../private-files';
import { ServiceError, type ServiceContext } from './context';

export async function captureFilePath(ctx: ServiceContext, jobId: string | undefined): Promise<string> {
  try {
    await ensurePrivateFolder(ctx.dataDir);
  } catch (error) {
    if (error instanceof PrivateFolderError) throw new ServiceError('data-folder-unsafe', error.message);
    throw error;
  }
  const name = (jobId ?? 'run').replace(/[^\w.-]/g, '_').slice(0, 64);
  return join(ctx.dataDir, `${name}-${randomBytes(4).toString('hex')}.pcap`);
}
