/** The TCP experiments as a labelled radio group, with one sentence on what the chosen one shows. */
import { useId } from 'react';
import { TCP_EXPERIMENTS, type TcpExperiment } from './tcp-form-model';

export function ExperimentPicker({
  value,
  disabled,
  onChange,
}: {
  value: TcpExperiment;
  disabled: boolean;
  onChange: (value: TcpExperiment) => void;
}) {
  const id = useId();
  const current = TCP_EXPERIMENTS.find((experiment) => experiment.name === value);
  return (
    <fieldset className="experiment-picker" aria-describedby={`${id}-lesson`}>
      <legend>Experiment</legend>
      <div className="segmented">
        {TCP_EXPERIMENTS.map((experiment) => (
          <label key={experiment.name} className={experiment.name === value ? 'segment segment-selected' : 'segment'}>
            <input
              type="radio"
              name={`${id}-experiment`}
              value={experiment.name}
              checked={experiment.name === value}
              disabled={disabled}
              onChange={() => onChange(experiment.name)}
            />
            {experiment.title}
          </label>
        ))}
      </div>
      <p id={`${id}-lesson`} className="preset-lesson">
        {current?.lesson}
      </p>
    </fieldset>
  );
}
