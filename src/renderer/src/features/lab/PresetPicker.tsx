/** The learner scenarios as a labelled select, with the one sentence that says what the chosen one shows. */
import { useId } from 'react';
import type { HttpPreset } from '@shared/api-http';
import { InlineCode } from './InlineCode';

interface Props {
  presets: readonly HttpPreset[];
  /** the preset the form equals, or null when the learner changed a setting */
  selected: string | null;
  disabled: boolean;
  onPick: (preset: HttpPreset) => void;
}

const CUSTOM = '(custom)';

export function PresetPicker({ presets, selected, disabled, onPick }: Props) {
  const id = useId();
  const current = presets.find((preset) => preset.name === selected);
  return (
    <div className="preset-picker">
      <label htmlFor={id}>Scenario</label>
      <select
        id={id}
        value={selected ?? CUSTOM}
        disabled={disabled || presets.length === 0}
        aria-describedby={`${id}-lesson`}
        onChange={(event) => {
          const picked = presets.find((preset) => preset.name === event.target.value);
          if (picked) onPick(picked);
        }}
      >
        {selected === null ? <option value={CUSTOM}>Custom settings</option> : null}
        {presets.map((preset) => (
          <option key={preset.name} value={preset.name}>
            {preset.title}
          </option>
        ))}
      </select>
      <p id={`${id}-lesson`} className="preset-lesson" data-testid="preset-lesson">
        {current ? <InlineCode text={current.lesson} /> : 'Your own settings: change any option below, or pick a scenario to start from.'}
      </p>
    </div>
  );
}
