/**
 * The HTTP lab form: its state is an `HttpRunConfig` (the contract's own shape,
 * defaults included), so what the learner sees is exactly what `http.run` gets.
 * Presets are partial configs merged onto the defaults, one level deep for the
 * nested option groups — the same rule the engine applies (http-scenarios.ts).
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import { HttpRunConfigSchema, type HttpPreset, type HttpRunConfig } from '@shared/api-http';
import { HTTP_CONFIG_LABELS, plainProblems } from '@shared/plain-errors';

const NESTED_GROUPS = new Set(['server', 'agent', 'undici']);

/** The contract's defaults: 10 sequential GETs over http.Agent against the embedded server, bodies drained. */
export function defaultHttpForm(): HttpRunConfig {
  return HttpRunConfigSchema.parse({});
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Overlays `override` on `base`, one level deep for `server`, `agent` and `undici`. */
export function mergeHttpConfig(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const previous = merged[key];
    merged[key] = NESTED_GROUPS.has(key) && isRecord(previous) && isRecord(value) ? { ...previous, ...value } : value;
  }
  return merged;
}

/** A preset's (partial) config on top of the defaults; a preset the contract rejects yields the defaults and the reason. */
export function formFromPreset(config: Record<string, unknown>): { form: HttpRunConfig; problem: string | null } {
  const parsed = HttpRunConfigSchema.safeParse(mergeHttpConfig({}, config));
  if (parsed.success) return { form: parsed.data, problem: null };
  return { form: defaultHttpForm(), problem: plainProblems(parsed.error.issues, HTTP_CONFIG_LABELS).join('; ') };
}

/** Sets one field by its dotted path ("agent.maxSockets"); returns a new form. */
export function setHttpField(form: HttpRunConfig, path: string, value: unknown): HttpRunConfig {
  const [group, field] = path.split('.');
  if (group === undefined) return form;
  if (field === undefined) return { ...form, [group]: value } as HttpRunConfig;
  const nested = (form as unknown as Record<string, unknown>)[group];
  if (!isRecord(nested)) return form;
  return { ...form, [group]: { ...nested, [field]: value } } as HttpRunConfig;
}

/** Reads one field by its dotted path. */
export function getHttpField(form: HttpRunConfig, path: string): unknown {
  let value: unknown = form;
  for (const part of path.split('.')) value = isRecord(value) ? value[part] : undefined;
  return value;
}

/** Checks the form against the contract; empty = fine, otherwise one line per problem in plain words ("Requests: at least 1"). */
export function httpFormProblems(form: HttpRunConfig): string[] {
  const parsed = HttpRunConfigSchema.safeParse(form);
  if (parsed.success) return [];
  return plainProblems(parsed.error.issues, HTTP_CONFIG_LABELS);
}

/**
 * Text of a number input → the field's value: "" means null where the field is
 * nullable ("no limit"), otherwise the text is kept as a number (NaN is left for
 * the contract check to name).
 */
export function numberFromInput(text: string, nullable: boolean): number | null {
  if (text.trim() === '') return nullable ? null : Number.NaN;
  return Number(text);
}

/** The preset whose config the form equals (after defaults), or null when the learner changed something. */
export function matchingPreset(form: HttpRunConfig, presets: readonly HttpPreset[]): string | null {
  const key = JSON.stringify(form);
  for (const preset of presets) {
    if (JSON.stringify(formFromPreset(preset.config).form) === key) return preset.name;
  }
  return null;
}

/**
 * The form for a preset's contrast run: the learner's current form with only
 * what the contrast changes relative to its preset (e.g. `agent.maxSockets`
 * back to unlimited) — so their other edits carry over to both sides.
 */
export function contrastForm(form: HttpRunConfig, preset: HttpPreset): HttpRunConfig | null {
  if (!preset.contrast) return null;
  const base = formFromPreset(preset.config).form as unknown as Record<string, unknown>;
  const contrast = formFromPreset(preset.contrast.config).form as unknown as Record<string, unknown>;
  let result = form;
  for (const [key, value] of Object.entries(contrast)) {
    const before = base[key];
    if (isRecord(value) && isRecord(before)) {
      for (const [field, nested] of Object.entries(value)) {
        if (JSON.stringify(before[field]) !== JSON.stringify(nested)) result = setHttpField(result, `${key}.${field}`, nested);
      }
    } else if (JSON.stringify(before) !== JSON.stringify(value)) {
      result = setHttpField(result, key, value);
    }
  }
  return result;
}
