/** The app handlers: who we are and what the OS's keepalive defaults are. */
import { readFile } from 'node:fs/promises';
import { appMethods, type Info, type KeepaliveDefaults } from '@shared/api';
import { ServiceError, type Handlers, type ServiceContext } from './context';
import { APP_NAME, APP_VERSION } from '../version';

const PROC_KEEPALIVE = '/proc/sys/net/ipv4/tcp_keepalive_';

async function readProcNumber(path: string): Promise<number | null> {
  try {
    const text = await readFile(path, 'utf8');
    const value = Number.parseInt(text.trim(), 10);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** Reads tcp_keepalive_{time,intvl,probes}; on other OSes says they are not readable. */
export async function readKeepaliveDefaults(procPrefix = PROC_KEEPALIVE): Promise<KeepaliveDefaults> {
  const [timeS, intervalS, probes] = await Promise.all(['time', 'intvl', 'probes'].map((name) => readProcNumber(`${procPrefix}${name}`)));
  const found = timeS !== null || intervalS !== null || probes !== null;
  return {
    timeS: timeS ?? null,
    intervalS: intervalS ?? null,
    probes: probes ?? null,
    source: found ? `${procPrefix}{time,intvl,probes}` : `not readable on ${process.platform} (no ${procPrefix}*)`,
  };
}

export async function getInfo(mode: Info['mode']): Promise<Info> {
  return {
    appName: APP_NAME,
    appVersion: APP_VERSION,
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    electronVersion: process.versions.electron ?? null,
    mode,
    keepaliveDefaults: await readKeepaliveDefaults(),
  };
}

export function createAppHandlers(ctx: ServiceContext): Handlers<typeof appMethods> {
  return {
    'app.getInfo': async () => getInfo(ctx.mode),
    'job.cancel': async ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    // The Electron shell answers these with native dialogs before the service sees them.
    'file.chooseOpen': async () => {
      throw new ServiceError('not-available', 'native file dialogs exist only in the desktop app; use the file picker');
    },
    'file.chooseSave': async () => {
      throw new ServiceError('not-available', 'native file dialogs exist only in the desktop app; the report is downloaded instead');
    },
  };
}
