/**
 * Who may import what (docs/ARCHITECTURE.md, "Import rules"). Every import is resolved to the file
 * it names (relative paths and the tsconfig aliases alike), so the rules speak of repo paths.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** The tsconfig "paths" aliases, as repo-relative prefixes. */
const ALIASES: Record<string, string> = {
  '@shared/': 'src/shared/',
  '@renderer/': 'src/renderer/src/',
  '@engine/': 'src/main/engine/',
};
const SUFFIXES = ['', '.ts', '.tsx', '.js', '.mjs', '/index.ts', '/index.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const specifiersOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

/** The repo path an import names, or the bare specifier for a package ('electron', 'node:fs'). */
function resolveImport(fromFile: string, specifier: string): string {
  const alias = Object.keys(ALIASES).find((prefix) => specifier.startsWith(prefix));
  let base: string;
  if (alias) base = ALIASES[alias]! + specifier.slice(alias.length);
  else if (specifier.startsWith('.')) base = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  else return specifier;
  return SUFFIXES.map((suffix) => base + suffix).find((path) => existsSync(join(root, path))) ?? base;
}

const files = sourceFiles(join(root, 'src')).map((path) => {
  const file = relative(root, path).split('\\').join('/');
  const specifiers = specifiersOf(path);
  return { file, specifiers, targets: specifiers.map((specifier) => resolveImport(file, specifier)) };
});
const under = (prefix: string) => files.filter((f) => f.file.startsWith(prefix));

describe('who may import what (docs/ARCHITECTURE.md)', () => {
  it('docs/ARCHITECTURE.md names only paths that exist', () => {
    const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
    const named = [...doc.matchAll(/`(src\/[\w./-]+)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('only src/main/index.ts, src/main/shell/ and src/preload/ import electron', () => {
    const offenders = files.filter(
      (f) => f.targets.includes('electron') && !/^src\/(main\/index\.ts|main\/shell\/|preload\/)/.test(f.file),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('src/shared is pure: no node:, no DOM libraries, no React, nothing of ours outside shared', () => {
    const offenders = under('src/shared/').filter((f) =>
      f.targets.some(
        (t) =>
          t.startsWith('node:') ||
          /^(fs|net|http|react|react-dom|electron)$/.test(t) ||
          (t.startsWith('src/') && !t.startsWith('src/shared/')),
      ),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('the CLI reaches the engine only through the service, like IPC and the web mode', () => {
    // what a front end may take from src/main: the service itself, the version, the web server it serves; no exceptions
    const door = new Set(['src/main/engine/service.ts', 'src/main/engine/version.ts', 'src/main/web/server.ts']);
    const offenders = under('src/cli/').flatMap((f) =>
      f.targets.filter((t) => t.startsWith('src/main/') && !door.has(t)).map((t) => `${f.file} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the renderer imports only the renderer and src/shared', () => {
    const offenders = under('src/renderer/').flatMap((f) =>
      f.targets
        .filter((t) => t.startsWith('node:') || t === 'electron' || (t.startsWith('src/') && !/^src\/(renderer|shared)\//.test(t)))
        .map((t) => `${f.file} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });
  it('src/main holds the Electron entry, the shell, the web mode and the engine, and nothing else', () => {
    expect(readdirSync(join(root, 'src/main')).sort()).toEqual(['engine', 'index.ts', 'shell', 'web']);
  });

  it('the engine never imports a front end: no Electron, shell, web mode, CLI or renderer', () => {
    const offenders = under('src/main/engine/').flatMap((f) =>
      f.targets
        .filter((t) => t === 'electron' || /^src\/(main\/(shell|web|index\.ts)|cli|renderer|preload)(\/|$)/.test(t))
        .map((t) => `${f.file} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('imports do not climb two folders where an alias names the place', () => {
    const offenders = files.flatMap((f) =>
      f.specifiers
        .map((specifier, index) => ({ specifier, target: f.targets[index]! }))
        .filter(
          ({ specifier, target }) => specifier.startsWith('../../') && Object.values(ALIASES).some((folder) => target.startsWith(folder)),
        )
        .map(({ specifier }) => `${f.file} → ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
