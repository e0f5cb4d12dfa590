/** Small labelled inputs for the lab forms: every input has a visible label and an id the label points at. */
import { useId, type ReactNode } from 'react';
import type { TermId } from '@shared/glossary';
import { TermTip } from '../glossary/Term';
import { numberFromInput } from './http-form-model';

interface FieldProps {
  label: string;
  /** shown after the input, e.g. "ms" */
  unit?: string;
  /** one line under the label, for what the value does */
  hint?: string;
  disabled?: boolean;
  /** the glossary word this option is: its help shows on hover and while the control has focus */
  term?: TermId;
}

/** The id of a field's glossary tip, for the control's aria-describedby. */
const tipIdOf = (id: string) => `${id}-tip`;

function FieldShell({ id, label, unit, hint, term, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={term ? 'field field-term' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <span className="field-input">
        {children}
        {unit ? <span className="field-unit muted">{unit}</span> : null}
      </span>
      {hint ? <span className="field-hint muted">{hint}</span> : null}
      {term ? <TermTip id={tipIdOf(id)} term={term} /> : null}
    </div>
  );
}

export function NumberField(
  props: FieldProps & {
    value: number | null;
    onChange: (value: number | null) => void;
    min?: number;
    max?: number;
    step?: number;
    nullable?: boolean;
    placeholder?: string;
  },
) {
  const id = useId();
  const text = props.value === null || Number.isNaN(props.value) ? '' : String(props.value);
  return (
    <FieldShell id={id} {...props}>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        value={text}
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        placeholder={props.placeholder}
        disabled={props.disabled}
        aria-describedby={props.term ? tipIdOf(id) : undefined}
        onChange={(event) => props.onChange(numberFromInput(event.target.value, props.nullable ?? false))}
      />
    </FieldShell>
  );
}

export function CheckField(props: FieldProps & { checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className={props.term ? 'field field-check field-term' : 'field field-check'}>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={props.term ? tipIdOf(id) : undefined}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? <span className="field-hint muted">{props.hint}</span> : null}
      {props.term ? <TermTip id={tipIdOf(id)} term={props.term} /> : null}
    </div>
  );
}

export function SelectField<V extends string>(
  props: FieldProps & { value: V; options: ReadonlyArray<{ value: V; label: string }>; onChange: (value: V) => void },
) {
  const id = useId();
  return (
    <FieldShell id={id} {...props}>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-describedby={props.term ? tipIdOf(id) : undefined}
        onChange={(event) => props.onChange(event.target.value as V)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function TextField(
  props: FieldProps & { value: string; onChange: (value: string) => void; placeholder?: string; type?: 'url' | 'text' },
) {
  const id = useId();
  return (
    <FieldShell id={id} {...props}>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        aria-describedby={props.term ? tipIdOf(id) : undefined}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </FieldShell>
  );
}
