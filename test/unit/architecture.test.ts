import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
        f.imports.some((i) => i.startsWith('node:') || /^(fs|net|http|react|react-dom|electron)$/.test(i) || i.startsWith('../')),
      );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('the CLI reaches the engine only through the service, like IPC and the web mode', () => {
    // what a front end may take from src/main: the service itself, the version, the web server it serves
    const door = /^(\.\.\/)+main\/(service|version|web\/server)$/;
    // known, each with its reason; a new entry here needs one too
    const pending: Record<string, string[]> = {
      // the HAR import work rewrites this command in parallel; it still reads captures directly
      'src/cli/commands/analyze.ts': [
        '../../main/capture/analyze',
        '../../main/capture/read-common',
        '../../main/capture/capture-summary',
        '../../main/report/capture-to-report',
      ],
      // a pure sentence for an error code, owned by the HTTP lab
      'src/cli/commands/http.ts': ['../../main/lab/http-request-types'],
      // parses a report file the user names, before anything reaches the engine
      'src/cli/commands/report.ts': ['../../main/report/render-json'],
    };
    const offenders = files
      .filter((f) => f.file.startsWith('src/cli/'))
      .flatMap((f) =>
        f.imports
          .filter((i) => /(^|\/)main\//.test(i) && !door.test(i) && !(pending[f.file] ?? []).includes(i))
          .map((i) => `${f.file} → ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the renderer never imports main or cli', () => {
    const offenders = files.filter(
      (f) => f.file.startsWith('src/renderer/') && f.imports.some((i) => /\/(main|cli)\//.test(i) || i.startsWith('node:')),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });
});
