import { type ReactNode, useId, useState } from 'react';
import type { KitPreview, Slot, SlotValues } from '../api/types.ts';
import { useLivePreview } from '../use-live-preview.ts';
import { KitPreviewPanel } from './kit-preview.tsx';
import { editableValues, initialSlotValues, SlotForm } from './slot-form.tsx';

type KitCustomiserProps = {
  /** Identifies the kit version: a new one starts the form and preview over. */
  kitKey: string;
  slots: readonly Slot[];
  load: (slots: SlotValues, signal: AbortSignal) => Promise<KitPreview>;
  sender: string;
  title?: string;
  intro?: ReactNode;
  /** Below the form (the launch wizard): given the slot values as the preview sends them. */
  footer?: ReactNode | ((values: SlotValues) => ReactNode);
};

/** The slot form beside the live preview it drives: partners' kit page and marketing's version view. */
export function KitCustomiser({
  kitKey,
  slots,
  load,
  sender,
  title = 'Customise',
  intro,
  footer,
}: KitCustomiserProps) {
  const id = useId();
  const [values, setValues] = useState<SlotValues>(() => initialSlotValues(slots));
  const edited = editableValues(slots, values);
  const live = useLivePreview(load, edited, { key: kitKey });

  return (
    <div className="customiser">
      <section className="card customiser-form" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{title}</h2>
        {intro}
        <form
          noValidate
          onSubmit={(event) => event.preventDefault()}
          aria-labelledby={`${id}-title`}
          data-testid="customise-form"
        >
          <SlotForm
            slots={slots}
            values={values}
            errors={live.fieldErrors}
            onChange={(key, value) => setValues((current) => ({ ...current, [key]: value }))}
          />
          <div className="actions">
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={() => setValues(initialSlotValues(slots))}
            >
              Reset to the kit’s defaults
            </button>
          </div>
        </form>
        {typeof footer === 'function' ? footer(edited) : footer}
      </section>
      <KitPreviewPanel live={live} sender={sender} />
    </div>
  );
}
