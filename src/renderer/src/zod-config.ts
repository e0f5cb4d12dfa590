/**
 * Imported first by main.tsx, before any schema runs. zod compiles fast object
 * parsers with `new Function` unless `jitless`, and probes for eval once to find
 * out; the page's CSP has no 'unsafe-eval', so that probe alone files a CSP
 * violation report on every start. The interpreted parsers are plenty fast for
 * the contract's payloads.
 */
import { z } from 'zod';

z.config({ jitless: true });
