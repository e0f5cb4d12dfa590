/**
 * Validation problems in plain words for a person: "Requests: at least 1", not
 * the schema's "requests: Too small: expected number to be >=1". The forms use
 * it before a run and the engine for what it refuses, so both say the same.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import type { z } from 'zod';

/** What a field is called on screen, and its unit ("ms"), by its dotted path in the settings. */
export type FieldLabels = Readonly<Record<string, { label: string; unit?: string }>>;

/** Problems listed at most (the rest would only repeat the same mistake). */
const MAX_PROBLEMS = 5;

const numberText = (value: number | bigint): string => Number(value).toLocaleString('en-US');
const count = (value: number | bigint, noun: string): string => `${numberText(value)} ${noun}${Number(value) === 1 ? '' : 's'}`;

function bound(issue: { minimum?: unknown; maximum?: unknown }, unit: string | undefined): string {
  const value = (issue.minimum ?? issue.maximum) as number | bigint;
  return `${numberText(value)}${unit ? ` ${unit}` : ''}`;
}

/** One problem as a short phrase ("at least 1 ms", "a whole number"), without the field's name. */
export function plainProblem(issue: z.core.$ZodIssue, unit?: string): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'a whole number';
      if (issue.expected === 'number') return 'a number is needed';
      if (issue.expected === 'boolean') return 'on or off';
      if (issue.expected === 'string') return 'text is needed';
      return `a ${issue.expected} is needed`;
    case 'too_small':
      if (issue.origin === 'string') return `at least ${count(issue.minimum, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `at least ${count(issue.minimum, 'item')}`;
      return issue.inclusive === false ? `more than ${bound(issue, unit)}` : `at least ${bound(issue, unit)}`;
    case 'too_big':
      if (issue.origin === 'string') return `at most ${count(issue.maximum, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `at most ${count(issue.maximum, 'item')}`;
      return issue.inclusive === false ? `less than ${bound(issue, unit)}` : `at most ${bound(issue, unit)}`;
    case 'invalid_format':
      if (issue.format === 'url') return 'a full URL starting with http:// or https://';
      return `not a valid ${issue.format}`;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown setting${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `“${key}”`).join(', ')}`;
    case 'not_multiple_of':
      return `a multiple of ${numberText(issue.divisor as number)}`;
    default:
      return issue.message;
  }
}

/** The name a person knows a field by: its label, else its dotted path ("settings" for the whole). */
function fieldName(path: readonly PropertyKey[], labels: FieldLabels): string {
  const key = path.map(String).join('.');
  if (key === '') return 'Settings';
  return labels[key]?.label ?? key;
}

/** Each problem as "Label: phrase", at most MAX_PROBLEMS of them. */
export function plainProblems(issues: readonly z.core.$ZodIssue[], labels: FieldLabels = {}): string[] {
  return issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const unit = labels[issue.path.map(String).join('.')]?.unit;
    return `${fieldName(issue.path, labels)}: ${plainProblem(issue, unit)}`;
  });
}

/** The HTTP lab's settings (`HttpRunConfig`) as the form names them. */
export const HTTP_CONFIG_LABELS: FieldLabels = {
  url: { label: 'URL' },
  'server.keepAliveTimeoutMs': { label: 'Server keep-alive timeout', unit: 'ms' },
  'server.headersTimeoutMs': { label: 'Server headers timeout', unit: 'ms' },
  'server.bodyBytes': { label: 'Body size', unit: 'bytes' },
  'server.chunkBytes': { label: 'Bytes per body write', unit: 'bytes' },
  'server.headersDelayMs': { label: 'Delay before headers', unit: 'ms' },
  'server.chunkDelayMs': { label: 'Delay between chunks', unit: 'ms' },
  'server.closeEveryNth': { label: 'Connection: close every Nth response' },
  'server.staleRace': { label: 'Stale-connection race' },
  requests: { label: 'Requests' },
  concurrency: { label: 'Concurrency' },
  schedule: { label: 'Start requests' },
  intervalMs: { label: 'Pause between rounds', unit: 'ms' },
  timeoutMs: { label: 'Timeout per request', unit: 'ms' },
  method: { label: 'Method' },
  client: { label: 'Client' },
  'agent.keepAlive': { label: 'Keep-alive' },
  'agent.keepAliveMsecs': { label: 'keepAliveMsecs', unit: 'ms' },
  'agent.maxSockets': { label: 'maxSockets' },
  'agent.maxFreeSockets': { label: 'maxFreeSockets' },
  'agent.timeoutMs': { label: 'Socket timeout', unit: 'ms' },
  'agent.scheduling': { label: 'Scheduling' },
  'undici.keepAliveTimeoutMs': { label: 'keepAliveTimeout', unit: 'ms' },
  'undici.connections': { label: 'Connections' },
  'undici.pipelining': { label: 'Pipelining' },
  body: { label: 'Response body' },
  partialBytes: { label: 'Read at most', unit: 'bytes' },
  retryReusedReset: { label: 'Retry once on a reset of a reused connection' },
  tls: { label: 'HTTPS' },
  maxCachedSessions: { label: 'TLS sessions kept for resumption' },
};
