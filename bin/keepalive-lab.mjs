#!/usr/bin/env node
// The CLI runs from source through tsx, so `npx keepalive-lab` works on a fresh clone
// right after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
