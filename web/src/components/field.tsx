import type { ReactNode } from 'react';

export type ControlProps = {
  id: string;
  name: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
};

type FieldProps = {
  /** A prefix unique to the form (from useId). */
  formId: string;
  name: string;
  label: string;
  error: string | undefined;
  /** Renders the control with the props that tie it to its label and error message. */
  children: (control: ControlProps) => ReactNode;
};

/** A labelled form control with its error message, wired for screen readers. */
export function Field({ formId, name, label, error, children }: FieldProps) {
  const id = `${formId}-${name}`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        name,
        'aria-invalid': error !== undefined,
        'aria-describedby': error === undefined ? undefined : errorId,
      })}
      {error !== undefined && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

type InputFieldProps = Omit<FieldProps, 'children'> & {
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'date' | 'email' | 'url';
  inputMode?: 'decimal' | 'numeric' | 'text';
  placeholder?: string;
};

/** A Field holding one text input bound to a string state. */
export function InputField({ value, onValue, type, inputMode, placeholder, ...field }: InputFieldProps) {
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          type={type}
          inputMode={inputMode}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onValue(e.target.value)}
        />
      )}
    </Field>
  );
}
