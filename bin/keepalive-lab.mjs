#!/usr/bin/env node
// The CLI runs from source through tsx, so `npx keepalive-lab` works on a fresh clone
// right after `npm install`, with no build step. tsx takes the import aliases (tsconfig
// "paths") from the repo's tsconfig.json wherever the CLI is started; the variable also
// reaches the worker threads the engine starts.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../tsconfig.json', import.meta.url));
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
