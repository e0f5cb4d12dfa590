import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKeepaliveDefaults } from '@engine/services/app';
import { createService } from '@engine/service';

describe('OS keepalive defaults', () => {
  it('reads time, interval and probes from the proc files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kl-proc-'));
    await writeFile(join(dir, 'ka_time'), '7200\n');
    await writeFile(join(dir, 'ka_intvl'), '75\n');
    await writeFile(join(dir, 'ka_probes'), '9\n');
    expect(await readKeepaliveDefaults(join(dir, 'ka_'))).toEqual({
      timeS: 7200,
      intervalS: 75,
      probes: 9,
      source: `${join(dir, 'ka_')}{time,intvl,probes}`,
    });
    await rm(dir, { recursive: true });
  });

  it('says where they are missing instead of inventing numbers', async () => {
    const result = await readKeepaliveDefaults('/nonexistent/tcp_keepalive_');
    expect(result).toMatchObject({ timeS: null, intervalS: null, probes: null });
    expect(result.source).toMatch(/not readable on/);
  });
});

describe('the service door', () => {
  it('checks results too, and cancels jobs by id', async () => {
    const service = createService({ mode: 'cli', dataDir: tmpdir() });
    expect(await service.call('job.cancel', { jobId: 'nope' })).toEqual({ ok: true, value: { cancelled: false } });
    expect(await service.call('file.chooseOpen', { title: 'Open', extensions: ['pcap'] })).toMatchObject({
      ok: false,
      error: { code: 'not-available' },
    });
    await service.dispose();
  });
});
