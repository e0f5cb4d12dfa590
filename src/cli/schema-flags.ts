/**
 * CLI flags derived from a contract method's params schema (src/shared/api-*.ts): each flag's
 * name (`timeoutMs` → `--timeout-ms`), kind, bounds, default and whether it is required come
 * from the zod schema the engine checks, so the CLI cannot drift from what the engine accepts.
 * A bad value is reported with the flag's name and the schema's bounds, before anything runs.
 */
import { z } from 'zod';
import { parseFlags } from './args';
import { CliError } from './io';

type Kind =
  | { type: 'number'; integer: boolean; min: number | null; max: number | null }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'target' }
  | { type: 'string' };

interface SchemaFlag {
  /** the params key, camelCase */
  key: string;
  /** the flag, kebab-case, without the dashes */
  flag: string;
  kind: Kind;
  required: boolean;
  defaultValue: unknown;
  /** the schema takes null ("no cap", "none"): the flag takes the word `none` for it */
  nullable: boolean;
}

/** What a nullable flag takes for null. */
const NONE = 'none';

/** `timeoutMs` → `timeout-ms` */
const kebab = (key: string): string => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function describe(key: string, field: z.ZodType): SchemaFlag {
  let inner: z.ZodType = field;
  let required = true;
  let nullable = false;
  let defaultValue: unknown;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) {
    // null is a value the params must still hold: only a default or an optional key makes the flag optional
    if (inner instanceof z.ZodNullable) nullable = true;
    else required = false;
    if (inner instanceof z.ZodDefault) defaultValue = inner._zod.def.defaultValue;
    inner = inner.unwrap() as z.ZodType;
  }
  const flag = kebab(key);
  const base = { key, flag, required, defaultValue, nullable };
  if (inner instanceof z.ZodNumber) {
    return { ...base, kind: { type: 'number', integer: inner.isInt, min: inner.minValue, max: inner.maxValue } };
  }
  if (inner instanceof z.ZodBoolean) return { ...base, kind: { type: 'boolean' } };
  if (inner instanceof z.ZodEnum) return { ...base, kind: { type: 'enum', values: inner.options.map(String) } };
  if (inner instanceof z.ZodObject && 'host' in inner.shape && 'port' in inner.shape) return { ...base, kind: { type: 'target' } };
  return { ...base, kind: { type: 'string' } };
}

/** The flags for `keys` of an object schema, in that order; `[key, name]` gives a flag its own name (`['listenPort', 'listen']`). */
export function schemaFlags(schema: z.ZodObject, keys: ReadonlyArray<string | readonly [string, string]>): SchemaFlag[] {
  return keys.map((entry) => {
    const [key, name] = typeof entry === 'string' ? [entry, kebab(entry)] : entry;
    const field = schema.shape[key];
    if (field === undefined) throw new Error(`the schema has no field "${key}"`);
    return { ...describe(key, field as z.ZodType), flag: name };
  });
}

/** "integer 1–10000", "seconds 0–3600", "fin | rst", "host:port" */
function kindText(kind: Kind): string {
  switch (kind.type) {
    case 'number': {
      const range = kind.min !== null && kind.max !== null ? ` ${kind.min}–${kind.max}` : '';
      return `${kind.integer ? 'integer' : 'number'}${range}`;
    }
    case 'boolean':
      return 'on when given';
    case 'enum':
      return kind.values.join(' | ');
    case 'target':
      return 'host:port (e.g. 127.0.0.1:8080 or [::1]:8080)';
    case 'string':
      return 'text';
  }
}

const PLACEHOLDER: Record<Kind['type'], string> = { number: ' N', boolean: '', enum: ' WORD', target: ' HOST:PORT', string: ' TEXT' };

/** One line per flag for --help: name, what it takes, its default or that it is required. */
export function flagsHelp(flags: readonly SchemaFlag[]): string {
  const rows = flags.map((flag) => {
    const name = `--${flag.flag}${PLACEHOLDER[flag.kind.type]}`;
    // null is spelled as the flag takes it
    const defaultText = flag.defaultValue === null ? NONE : String(flag.defaultValue);
    const extra = flag.required ? ', required' : flag.defaultValue !== undefined ? `, default ${defaultText}` : '';
    return `  ${name.padEnd(26)} ${kindText(flag.kind)}${flag.nullable ? ` or ${NONE}` : ''}${extra}\n`;
  });
  return rows.join('');
}

/** "127.0.0.1:8080" or "[::1]:8080" → { host, port }; a CliError naming the flag otherwise. */
export function parseTarget(flag: string, text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw new CliError(`--${flag} must be host:port (got "${text}")`);
  return { host, port };
}

function parseValue(flag: SchemaFlag, text: string): unknown {
  const { kind } = flag;
  if (flag.nullable && text === NONE) return null;
  switch (kind.type) {
    case 'number': {
      const value = Number(text);
      const inRange = (kind.min === null || value >= kind.min) && (kind.max === null || value <= kind.max);
      if (text.trim() === '' || !Number.isFinite(value) || (kind.integer && !Number.isInteger(value)) || !inRange)
        throw new CliError(
          `--${flag.flag} must be ${kind.integer ? 'an integer' : 'a number'} from ${kind.min} to ${kind.max}${flag.nullable ? ` or ${NONE}` : ''} (got "${text}")`,
        );
      return value;
    }
    case 'enum':
      if (!kind.values.includes(text)) throw new CliError(`--${flag.flag} must be one of ${kind.values.join(', ')} (got "${text}")`);
      return text;
    case 'target':
      return parseTarget(flag.flag, text);
    default:
      return text;
  }
}

/**
 * Parses `argv` against `flags` plus `extra` (flags that are not params, such as --json), and
 * returns the params (only what was given: the schema's defaults apply in the engine) and the extras.
 */
export function parseSchemaFlags<E extends NonNullable<Parameters<typeof parseFlags>[1]>>(
  argv: string[],
  flags: readonly SchemaFlag[],
  extra: E,
  helpHint: string,
): { params: Record<string, unknown>; values: ReturnType<typeof parseFlags<E>>['values'] } {
  const options: NonNullable<Parameters<typeof parseFlags>[1]> = { ...extra };
  for (const flag of flags) options[flag.flag] = { type: flag.kind.type === 'boolean' ? 'boolean' : 'string' };
  const { values } = parseFlags(argv, options);
  const params: Record<string, unknown> = {};
  for (const flag of flags) {
    const given = (values as Record<string, string | boolean | undefined>)[flag.flag];
    if (given === undefined) {
      if (flag.required) throw new CliError(`--${flag.flag} is required (see ${helpHint})`);
      continue;
    }
    params[flag.key] = typeof given === 'boolean' ? given : parseValue(flag, given);
  }
  return { params, values: values as ReturnType<typeof parseFlags<E>>['values'] };
}
