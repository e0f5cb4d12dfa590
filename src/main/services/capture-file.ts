/** Where a lab run's saved pcap goes: the engine's data folder, named after the run's job id. */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceContext } from './context';

export async function captureFilePath(ctx: ServiceContext, jobId: string | undefined): Promise<string> {
  await mkdir(ctx.dataDir, { recursive: true });
  const name = (jobId ?? randomUUID()).replace(/[^\w.-]/g, '_');
  return join(ctx.dataDir, `${name}.pcap`);
}
