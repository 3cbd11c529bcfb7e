import { useId } from 'react';
import type { Slot, SlotValues } from '../api/types.ts';

const HEX = /^#[0-9a-fA-F]{6}$/;

/** What the form starts with: each slot's default, or empty. */
export function initialSlotValues(slots: readonly Slot[]): SlotValues {
  return Object.fromEntries(slots.map((slot) => [slot.key, slot.default ?? '']));
}

/**
 * The values a preview sends: locked slots are the kit's (the API refuses any other), empty
 * ones are left for the API to fill with the default or a sample.
 */
export function editableValues(slots: readonly Slot[], values: SlotValues): SlotValues {
  const result: SlotValues = {};
  for (const slot of slots) {
    const value = values[slot.key] ?? '';
    if (!slot.locked && value !== '') result[slot.key] = value;
  }
  return result;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function lengthOf(value: string): number {
  return [...value].length;
}

type SlotFormProps = {
  slots: readonly Slot[];
  values: SlotValues;
  errors: Readonly<Record<string, string>>;
  onChange: (key: string, value: string) => void;
};

/** A form generated from a kit's slots: one control per slot type, with limits, help and errors. */
export function SlotForm({ slots, values, errors, onChange }: SlotFormProps) {
  const formId = useId();
  if (slots.length === 0) return <p className="muted">This kit has nothing to customise.</p>;
  return (
    <div className="slot-form" data-testid="slot-form">
      {slots.map((slot) => (
        <SlotField
          key={slot.key}
          id={`${formId}-${slot.key}`}
          slot={slot}
          value={values[slot.key] ?? ''}
          error={errors[slot.key]}
          onChange={(value) => onChange(slot.key, value)}
        />
      ))}
    </div>
  );
}

function idList(ids: readonly (string | false)[]): string | undefined {
  const present = ids.filter((id) => id !== false);
  return present.length === 0 ? undefined : present.join(' ');
}

type SlotFieldProps = {
  id: string;
  slot: Slot;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
};

function SlotField({ id, slot, value, error, onChange }: SlotFieldProps) {
  const helpId = `${id}-help`;
  const counterId = `${id}-counter`;
  const errorId = `${id}-error`;
  const lockId = `${id}-lock`;
  const counted = (slot.type === 'text' || slot.type === 'multiline') && !slot.locked;
  const describedBy = idList([
    slot.locked && lockId,
    slot.help ? helpId : false,
    counted && counterId,
    error !== undefined && errorId,
  ]);

  return (
    <div
      className={`field slot-field${slot.locked ? ' slot-locked' : ''}`}
      data-slot={slot.key}
      data-type={slot.type}
    >
      <div className="slot-label-row">
        <SlotLabel id={id} slot={slot} />
        {counted && <CharCounter id={counterId} slot={slot} value={value} />}
      </div>
      {slot.locked ? (
        <>
          <input
            id={id}
            type="text"
            className="locked-input"
            readOnly
            value={slot.default ?? ''}
            aria-describedby={describedBy}
          />
          <p className="lock-note" id={lockId}>
            <LockIcon /> Set by the kit: this text is locked and cannot be changed.
          </p>
        </>
      ) : (
        <SlotControl
          id={id}
          slot={slot}
          value={value}
          invalid={error !== undefined}
          describedBy={describedBy}
          onChange={onChange}
        />
      )}
      {error !== undefined && (
        <p className="field-error" id={errorId} data-testid="slot-error" data-slot={slot.key}>
          {error}
        </p>
      )}
      {slot.help && (
        <p className="field-help" id={helpId}>
          {slot.help}
        </p>
      )}
    </div>
  );
}

function SlotLabel({ id, slot }: { id: string; slot: Slot }) {
  const optional = !slot.required && !/optional/i.test(slot.label);
  return (
    <label htmlFor={id}>
      {slot.label}
      {slot.required && !slot.locked && (
        <>
          <span className="required-mark" aria-hidden="true">
            *
          </span>
          <span className="visually-hidden"> (required)</span>
        </>
      )}
      {optional && <span className="optional-mark"> (optional)</span>}
    </label>
  );
}

function CharCounter({ id, slot, value }: { id: string; slot: Slot; value: string }) {
  if (slot.type !== 'text' && slot.type !== 'multiline') return null;
  const length = lengthOf(value);
  const min = slot.minLength;
  const max = slot.maxLength;
  let state = 'ok';
  let note = '';
  if (length > max) {
    state = 'over';
    note = `, ${length - max} over the limit`;
  } else if (length > 0 && length < min) {
    state = 'under';
    note = `, at least ${min}`;
  }
  return (
    <span className="char-counter" id={id} data-state={state} data-testid="char-counter">
      {length} / {max}
      <span className={state === 'ok' ? 'visually-hidden' : undefined}>{note}</span>
      <span className="visually-hidden"> characters</span>
    </span>
  );
}

type SlotControlProps = {
  id: string;
  slot: Slot;
  value: string;
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (value: string) => void;
};

function SlotControl({ id, slot, value, invalid, describedBy, onChange }: SlotControlProps) {
  const common = {
    id,
    name: slot.key,
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
    'aria-required': slot.required,
  };
  switch (slot.type) {
    case 'text':
      return (
        <input {...common} type="text" value={value} onChange={(event) => onChange(event.target.value)} />
      );
    case 'multiline':
      return (
        <textarea {...common} rows={5} value={value} onChange={(event) => onChange(event.target.value)} />
      );
    case 'url':
      return (
        <input
          {...common}
          type="url"
          inputMode="url"
          placeholder="https://"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      );
    case 'image':
      return (
        <div className="image-input">
          <input
            {...common}
            type="url"
            inputMode="url"
            placeholder="https://… an image URL"
            value={value}
            onChange={(event) => onChange(event.target.value)}
          />
          {isHttpsUrl(value) && <img src={value} alt="" className="image-input-thumb" />}
        </div>
      );
    case 'colour':
      return (
        <div className="colour-input">
          <input
            type="color"
            value={HEX.test(value) ? value.toLowerCase() : '#000000'}
            aria-label={`${slot.label}: colour picker`}
            onChange={(event) => onChange(event.target.value)}
          />
          <input
            {...common}
            type="text"
            inputMode="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="#rrggbb"
            value={value}
            onChange={(event) => onChange(event.target.value.trim())}
          />
        </div>
      );
    case 'select':
      return (
        <select {...common} value={value} onChange={(event) => onChange(event.target.value)}>
          {(!slot.required || value === '') && <option value="">{slot.required ? 'Choose…' : 'None'}</option>}
          {slot.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      );
    case 'date':
      return (
        <input
          {...common}
          type="date"
          min={slot.min}
          max={slot.max}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      );
  }
}

function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
