/**
 * Renders a bundle in the format its file name asks for and writes it
 * atomically: the text goes to a temp file in the same folder, then takes the
 * final name in one step (link when the file must not exist yet — which fails
 * rather than overwrite a file that appeared meanwhile — or rename with
 * `force`). A reader never sees half a report; an existing file is kept unless
 * `force`; paths that cannot be written get one clear sentence.
 */
import { randomBytes } from 'node:crypto';
import { link, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { ReportBundle, ReportFormat } from '@shared/report-model';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';

export type ReportWriteErrorCode =
  'unknown-format' | 'file-exists' | 'no-such-folder' | 'permission-denied' | 'is-a-folder' | 'write-failed';

/** An expected failure with a stable code (the service turns it into a ServiceError). */
export class ReportWriteError extends Error {
  constructor(
    readonly code: ReportWriteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportWriteError';
  }
}

const FORMAT_OF_EXTENSION: Readonly<Record<string, ReportFormat>> = {
  '.html': 'html',
  '.htm': 'html',
  '.md': 'md',
  '.markdown': 'md',
  '.json': 'json',
};

/** The report format a file name asks for; throws `unknown-format` otherwise. */
export function reportFormatOfPath(path: string): ReportFormat {
  const extension = extname(path).toLowerCase();
  const format = FORMAT_OF_EXTENSION[extension];
  if (!format) {
    throw new ReportWriteError(
      'unknown-format',
      `cannot tell the report format from "${basename(path)}": use a name ending in .html, .md or .json`,
    );
  }
  return format;
}

export function renderReport(bundle: ReportBundle, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(bundle);
    case 'md':
      return renderMarkdown(bundle);
    case 'json':
      return renderJson(bundle);
  }
}

/** Turns a file-system error into one sentence a learner can act on. */
export function describeWriteError(error: unknown, path: string): ReportWriteError {
  if (error instanceof ReportWriteError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const folder = dirname(path);
  switch (code) {
    case 'ENOENT':
      return new ReportWriteError('no-such-folder', `cannot write ${path}: the folder ${folder} does not exist`);
    case 'ENOTDIR':
      return new ReportWriteError('no-such-folder', `cannot write ${path}: part of ${folder} is a file, not a folder`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ReportWriteError('permission-denied', `cannot write ${path}: no permission to write in ${folder}`);
    case 'EISDIR':
      return new ReportWriteError(
        'is-a-folder',
        `cannot write ${path}: it is a folder; give a file name such as ${join(path, 'report.html')}`,
      );
    case 'EEXIST':
      return new ReportWriteError('file-exists', `${path} already exists; choose another name or overwrite it (--force)`);
    default:
      return new ReportWriteError('write-failed', `cannot write ${path}: ${(error as Error).message}`);
  }
}

export interface WriteReportOptions {
  bundle: ReportBundle;
  path: string;
  /** replace an existing file */
  force?: boolean;
}

export interface WrittenReport {
  /** absolute path written */
  path: string;
  bytes: number;
  format: ReportFormat;
}

/** Writes `text` to `path` atomically; refuses an existing file unless `force`. */
export async function writeFileAtomically(path: string, text: string, force: boolean): Promise<number> {
  const target = resolve(path);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const data = Buffer.from(text, 'utf8');
  try {
    const existing = await stat(target).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
    if (existing?.isDirectory()) throw describeWriteError(Object.assign(new Error('is a directory'), { code: 'EISDIR' }), target);
    if (existing && !force) throw describeWriteError(Object.assign(new Error('exists'), { code: 'EEXIST' }), target);
    await writeFile(temporary, data, { flag: 'wx', mode: 0o644 });
    if (force) {
      await rename(temporary, target);
    } else {
      await placeWithoutOverwrite(temporary, target);
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw describeWriteError(error, target);
  }
  return data.byteLength;
}

/** link() fails with EEXIST if the name was taken meanwhile; file systems without hard links fall back to rename. */
async function placeWithoutOverwrite(temporary: string, target: string): Promise<void> {
  try {
    await link(temporary, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    await rename(temporary, target);
    return;
  }
  await rm(temporary, { force: true });
}

export async function writeReport(options: WriteReportOptions): Promise<WrittenReport> {
  const path = resolve(options.path);
  const format = reportFormatOfPath(path);
  const bytes = await writeFileAtomically(path, renderReport(options.bundle, format), options.force ?? false);
  return { path, bytes, format };
}
