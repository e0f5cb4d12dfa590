/**
 * Folders and files only this process's user can reach. The engine often runs as root (tcpdump),
 * so a folder another local user could plant a symlink or a plain file in — as the old shared
 * `$TMPDIR/keepalive-lab` was — would let that user redirect our writes. Every folder the engine
 * writes to is made mode 0700 and checked (a real directory, ours, no group/other bits); every
 * file is created exclusively without following a link (O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600).
 */
import { constants, lstatSync, mkdtempSync, readdirSync, rmdirSync, rmSync, type WriteStream, createWriteStream } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Flags that create a new file and never follow a link or reuse a file already there. */
export const EXCLUSIVE_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** rw for the owner only */
export const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

export class PrivateFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivateFolderError';
  }
}

/** A run folder's name: the pid of the process that made it, then mkdtemp's six random characters. */
const RUN_FOLDER_NAME = /^keepalive-lab-(\d+)-[A-Za-z0-9]{6}$/;
/** The run folder's subfolder of uploads (src/cli/commands/serve.ts): a clean exit deletes them. */
const UPLOADS_FOLDER = 'uploads';

/**
 * Makes a fresh private folder for one run of the engine: under `$XDG_RUNTIME_DIR` (a per-user
 * 0700 folder on systemd machines) when it is usable, else under the temp folder, with a random
 * name (mkdtemp creates it 0700) that starts with our pid. Nothing another user made beforehand
 * can be in the way. First it tidies what killed runs left there (removeStaleRunFolders).
 */
export function makeRunFolder(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env['XDG_RUNTIME_DIR'];
  const base = runtime && runtime.startsWith('/') ? runtime : tmpdir();
  const prefix = `keepalive-lab-${process.pid}-`;
  try {
    removeStaleRunFolders(base);
    return mkdtempSync(join(base, prefix));
  } catch {
    removeStaleRunFolders(tmpdir());
    return mkdtempSync(join(tmpdir(), prefix));
  }
}

/**
 * Does for each run folder in `base` whose process is gone (killed: SIGKILL, a crash, power loss)
 * what that run's clean exit would have done: deletes its uploads, then the folder if nothing else
 * is in it. Saved captures stay (they are the user's), and so does their folder. Only folders that
 * are surely a dead run's own are touched: the name carries a pid that is not running, and the
 * folder is a real directory (not a link) of this user with mode exactly 0700. Returns the folders
 * removed.
 */
export function removeStaleRunFolders(base: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(RUN_FOLDER_NAME.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid <= 0 || isRunning(pid)) continue;
    const folder = join(base, name);
    if (!isOwnPrivateFolder(folder)) continue;
    try {
      const uploads = join(folder, UPLOADS_FOLDER);
      if (isOwnPrivateFolder(uploads)) rmSync(uploads, { recursive: true });
      rmdirSync(folder); // ENOTEMPTY: saved captures are in it, keep them
      removed.push(folder);
    } catch {
      // in use or not empty: leave it
    }
  }
  return removed;
}

/** True when a process with this pid exists (EPERM: it does, but belongs to another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function isOwnPrivateFolder(path: string): boolean {
  try {
    const info = lstatSync(path);
    const uid = process.getuid?.();
    return info.isDirectory() && (uid === undefined || info.uid === uid) && (info.mode & 0o777) === PRIVATE_DIR_MODE;
  } catch {
    return false;
  }
}

/** Creates `path` (and its parents) if missing, then refuses it unless it is a real folder of ours with mode 0700 or stricter. */
export async function ensurePrivateFolder(path: string): Promise<void> {
  // EEXIST: something that is no folder has the name; lstat below says what
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(path);
  if (info.isSymbolicLink()) throw new PrivateFolderError(`${path} is a symbolic link, not a folder: refusing to write through it`);
  if (!info.isDirectory()) throw new PrivateFolderError(`${path} is not a folder (a file of that name is in the way)`);
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new PrivateFolderError(`${path} belongs to another user (uid ${info.uid}): refusing to write there`);
  }
  if ((info.mode & 0o077) !== 0) {
    throw new PrivateFolderError(
      `${path} can be entered by other users (mode ${(info.mode & 0o777).toString(8)}): make it 0700 or remove it`,
    );
  }
}

/** A write stream to a new file; fails with EEXIST if anything — a file or a link — is already at `path`. */
export function createPrivateWriteStream(path: string): WriteStream {
  // fs.open takes numeric flags and the stream hands them through; @types/node types the option as a string only
  return createWriteStream(path, { flags: EXCLUSIVE_CREATE as unknown as string, mode: PRIVATE_FILE_MODE });
}
