#!/usr/bin/env node
/**
 * Runs @doyensec/electronegativity over src/ (and out/ when built) and fails on any finding that
 * docs/electronegativity.md does not list as accepted. The doc's ```accepted block holds one
 * `CHECK_ID path` per line (paths from the repo root; line numbers are left out on purpose: they
 * drift). Usage: `node scripts/electronegativity.mjs` → exit 0 (clean), 1 (new findings), 2 (tool failed).
 * The tool tries the network for Electron releases and translations and carries on without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = path.join(root, 'node_modules/.bin/electronegativity');
const docFile = path.join(root, 'docs/electronegativity.md');
/** ms one scan may take (it waits on network look-ups that fail offline) */
const SCAN_TIMEOUT_MS = 180_000;

function electronVersion() {
  const manifest = path.join(root, 'node_modules/electron/package.json');
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).version;
  const declared = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.electron ?? '';
  return declared.replace(/^[^\d]*/, '') || '45.0.0';
}

function acceptedFindings() {
  const text = readFileSync(docFile, 'utf8');
  const block = /```accepted\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
  return new Set(
    block
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  );
}

/** One scan; returns `CHECK_ID path line:column message` findings. */
function scan(input, workDir) {
  const output = path.join(workDir, `${path.basename(input)}.sarif`);
  const run = spawnSync(binary, ['-i', path.join(root, input), '-r', '-e', electronVersion(), '-o', output, '-v', 'false'], {
    encoding: 'utf8',
    timeout: SCAN_TIMEOUT_MS,
  });
  if (run.error || !existsSync(output)) {
    throw new Error(
      `electronegativity did not produce a report for ${input}: ${run.error?.message ?? run.stderr.trim().split('\n').pop()}`,
    );
  }
  const sarif = JSON.parse(readFileSync(output, 'utf8'));
  return (sarif.runs?.[0]?.results ?? []).map((result) => {
    const location = result.locations?.[0]?.physicalLocation;
    const file = path.posix.join(input, location?.artifactLocation?.uri ?? '?');
    return { key: `${result.ruleId} ${file}`, where: `${file}:${location?.region?.startLine ?? '?'}`, message: result.message?.text ?? '' };
  });
}

function main() {
  if (!existsSync(binary)) throw new Error('node_modules/.bin/electronegativity is missing: run npm install (it is a devDependency)');
  const accepted = acceptedFindings();
  const workDir = mkdtempSync(path.join(tmpdir(), 'electronegativity-'));
  try {
    const inputs = ['src', ...(existsSync(path.join(root, 'out')) ? ['out'] : [])];
    const findings = inputs.flatMap((input) => scan(input, workDir));
    const fresh = findings.filter((finding) => !accepted.has(finding.key));
    const seen = new Set(findings.map((finding) => finding.key));
    for (const stale of [...accepted].filter((key) => !seen.has(key))) {
      process.stdout.write(`electronegativity: accepted but no longer found (remove from docs/electronegativity.md): ${stale}\n`);
    }
    process.stdout.write(
      `electronegativity: ${findings.length} finding(s) in ${inputs.join(', ')}, ${findings.length - fresh.length} accepted in docs/electronegativity.md\n`,
    );
    for (const finding of fresh) process.stdout.write(`  NEW ${finding.key} at ${finding.where}: ${finding.message}\n`);
    return fresh.length === 0 ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`electronegativity: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
