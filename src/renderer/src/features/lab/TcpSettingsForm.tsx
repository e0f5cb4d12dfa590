/** The chosen TCP experiment's settings: only the fields that experiment uses (tcp-form-model.ts `TCP_FIELDS`). */
import { NumberField, SelectField } from './form-fields';
import { fieldLimits, TCP_FIELD_LABELS, TCP_FIELDS, type TcpForm } from './tcp-form-model';

export function TcpSettingsForm({ form, onChange, disabled }: { form: TcpForm; onChange: (form: TcpForm) => void; disabled: boolean }) {
  return (
    <div className="tcp-form">
      {TCP_FIELDS[form.experiment].map((field) => {
        const meta = TCP_FIELD_LABELS[field];
        if (field === 'close') {
          return (
            <SelectField
              key={field}
              label={meta.label}
              term={meta.term}
              value={form.close}
              options={[
                { value: 'fin', label: 'FIN (orderly close)' },
                { value: 'rst', label: 'RST (abort)' },
              ]}
              onChange={(value) => onChange({ ...form, close: value })}
              disabled={disabled}
            />
          );
        }
        const value = form[field];
        if (typeof value !== 'number') return null;
        const { min, max } = fieldLimits(form.experiment, field);
        return (
          <NumberField
            key={field}
            label={meta.label}
            term={meta.term}
            unit={meta.unit}
            value={value}
            min={min}
            max={max}
            onChange={(next) => onChange({ ...form, [field]: next ?? Number.NaN })}
            disabled={disabled}
          />
        );
      })}
    </div>
  );
}
