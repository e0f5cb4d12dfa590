import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('who may import what (ARCHITECTURE.md)', () => {
  const files = sourceFiles(join(root, 'src')).map((file) => ({ file: relative(root, file), imports: importsOf(file) }));

  it('only src/main/index.ts, src/main/shell/ and src/preload/ import electron', () => {
    const offenders = files.filter(
      (f) => f.imports.includes('electron') && !/^src\/(main\/index\.ts|main\/shell\/|preload\/)/.test(f.file),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('src/shared is pure: no node:, no DOM libraries, no React, nothing of ours outside shared', () => {
    const offenders = files
      .filter((f) => f.file.startsWith('src/shared/'))
      .filter((f) =>
        f.imports.some(
          (i) =>
            i.startsWith('node:') ||
            /^(fs|net|http|react|react-dom|electron)$/.test(i) ||
            // a relative import must stay inside src/shared (src/shared/lessons/ may import ../lesson)
            (i.startsWith('.') && !join(dirname(f.file), i).startsWith('src/shared/')),
        ),
      );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('the renderer never imports main or cli', () => {
    const offenders = files.filter(
      (f) => f.file.startsWith('src/renderer/') && f.imports.some((i) => /\/(main|cli)\//.test(i) || i.startsWith('node:')),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });
});
