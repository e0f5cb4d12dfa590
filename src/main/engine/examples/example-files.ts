/**
 * Where the example captures are on disk: `examples/captures/` at the app's root, found by walking
 * up from this module (src/main/engine/examples when run from source, out/main when built); the example
 * HAR files are `examples/<id>.har` beside that folder. The page names an example by id; only the
 * engine turns that id into a path.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExample } from '@shared/example-captures';
import { findExampleHar } from '@shared/example-hars';

/** Folders to climb from this module to the app root: src/main/engine/examples → 3, out/main → 2. */
const MAX_LEVELS_UP = 4;
const EXAMPLES_FOLDER = join('examples', 'captures');

export class UnknownExampleError extends Error {
  constructor(
    readonly code: 'unknown-example' | 'example-missing',
    message: string,
  ) {
    super(message);
    this.name = 'UnknownExampleError';
  }
}

export function examplesFolder(from = dirname(fileURLToPath(import.meta.url))): string | null {
  let folder = from;
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const candidate = join(folder, EXAMPLES_FOLDER);
    if (existsSync(candidate)) return candidate;
    folder = dirname(folder);
  }
  return null;
}

/** The file of an example, or an UnknownExampleError saying what is wrong. */
export function exampleFile(id: string): string {
  const example = findExample(id);
  if (example === undefined) throw new UnknownExampleError('unknown-example', `no example capture "${id}"`);
  const folder = examplesFolder();
  const file = folder === null ? null : join(folder, `${example.id}.pcap`);
  if (file === null || !existsSync(file)) {
    throw new UnknownExampleError('example-missing', `the example "${example.title}" is not installed with this copy of the app`);
  }
  return file;
}

/** The file of an example HAR (`examples/<id>.har`, beside the captures' folder), or an UnknownExampleError. */
export function exampleHarFile(id: string): string {
  const example = findExampleHar(id);
  if (example === undefined) throw new UnknownExampleError('unknown-example', `no example HAR "${id}"`);
  const folder = examplesFolder();
  const file = folder === null ? null : join(dirname(folder), `${example.id}.har`);
  if (file === null || !existsSync(file)) {
    throw new UnknownExampleError('example-missing', `the example "${example.title}" is not installed with this copy of the app`);
  }
  return file;
}
