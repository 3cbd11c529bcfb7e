import { type FormEvent, useId, useState } from 'react';
import { Field } from './field.tsx';

// The schedule step of the launch wizard: now, or a date and time in the partner's own time
// zone (named on screen), checked to be in the future and sent to the API as UTC ISO 8601.

export type When = { mode: 'now' } | { mode: 'later'; local: string };

/** The browser's time zone and its offset at `date`: "Europe/Berlin (GMT+01:00)". */
export function zoneLabel(date: Date): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((part) => part.type === 'timeZoneName')?.value;
  return offset ? `${zone} (${offset})` : zone;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A date as a `datetime-local` value, in local time: "2026-03-01T14:00". */
export function localInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (local time, no offset) as an instant; null when it is not one. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const date = new Date(value); // date-time without an offset: read as local time
  return Number.isNaN(date.getTime()) ? null : date;
}

export const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
export const utcFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

function whenProblem(when: When, now: Date): string | undefined {
  if (when.mode === 'now') return undefined;
  const at = fromLocalInput(when.local);
  if (at === null) return 'Pick a date and a time.';
  if (at.getTime() <= now.getTime()) return 'Pick a time in the future.';
  return undefined;
}

type ScheduleProps = {
  when: When;
  onWhen: (when: When) => void;
  apiError: string | undefined;
  onBack: (() => void) | undefined;
  onNext: () => void;
};

export function ScheduleStep({ when, onWhen, apiError, onBack, onNext }: ScheduleProps) {
  const id = useId();
  const [checked, setChecked] = useState(false);
  const now = new Date();
  const local = when.mode === 'later' ? when.local : '';
  const at = fromLocalInput(local);
  const error = (checked ? whenProblem(when, now) : undefined) ?? apiError;
  const zone = zoneLabel(at ?? now);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChecked(true);
    if (whenProblem(when, new Date()) === undefined) onNext();
  }

  function pickLater() {
    // A sensible default: the next full hour but one.
    const start = new Date();
    start.setHours(start.getHours() + 2, 0, 0, 0);
    onWhen({ mode: 'later', local: when.mode === 'later' ? when.local : localInputValue(start) });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <fieldset className="choice-group">
        <legend>Send</legend>
        <label className="choice">
          <input
            type="radio"
            name={`${id}-when`}
            checked={when.mode === 'now'}
            onChange={() => onWhen({ mode: 'now' })}
          />
          Now, as soon as I launch it
        </label>
        <label className="choice">
          <input type="radio" name={`${id}-when`} checked={when.mode === 'later'} onChange={pickLater} />
          Later, at a time I pick
        </label>
      </fieldset>
      {when.mode === 'later' && (
        <Field formId={id} name="at" label={`Date and time, your time zone: ${zone}`} error={error}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              min={localInputValue(now)}
              value={local}
              onChange={(event) => onWhen({ mode: 'later', local: event.target.value })}
            />
          )}
        </Field>
      )}
      {when.mode === 'later' && at !== null && (
        <p className="muted small" data-testid="schedule-utc">
          That is {utcFormat.format(at)} UTC.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button">
          Next: review
        </button>
        {onBack && (
          <button type="button" className="button button-quiet" onClick={onBack}>
            Back
          </button>
        )}
      </div>
    </form>
  );
}
