import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { ApiError, isAbort } from './api/problem.ts';
import type { KitPreview, SlotValues } from './api/types.ts';

export type LivePreviewState = 'loading' | 'ready' | 'invalid' | 'error';

export type LivePreview = {
  /** The last preview the API rendered: kept on screen while the next one loads or fails. */
  preview: KitPreview | null;
  state: LivePreviewState;
  /** Per-slot messages from a 422 (`body.slots.<key>`). */
  fieldErrors: Record<string, string>;
  /** A failure that is not about one slot (network, 404, 409, or a 422 naming no slot). */
  error: unknown;
  retry: () => void;
};

const SLOT_PATH = /^(?:body|json)?[./]?slots[./](.+)$/;

/** `body.slots.headline` → `headline`; errors that name no slot are left out. */
export function slotErrorsOf(error: ApiError): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of error.problem.errors ?? []) {
    const key = SLOT_PATH.exec(item.path)?.[1];
    if (key !== undefined && result[key] === undefined) result[key] = item.message;
  }
  return result;
}

/**
 * Renders a kit preview as slot values change: waits `delay` ms after the last change, aborts
 * the request a newer change makes stale, and keeps the last good preview while the next one
 * loads or when the values are invalid (their errors come back per slot).
 */
export function useLivePreview(
  load: (slots: SlotValues, signal: AbortSignal) => Promise<KitPreview>,
  slots: SlotValues,
  { delay = 300, key = '' }: { delay?: number; key?: string } = {},
): LivePreview {
  const [preview, setPreview] = useState<KitPreview | null>(null);
  const [state, setState] = useState<LivePreviewState>('loading');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const run = useEffectEvent(load);
  const rendered = useRef(false);
  const serialized = JSON.stringify(slots);

  // A different kit starts over: no stale preview from the last one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the kit changes only.
  useEffect(() => {
    rendered.current = false;
    setPreview(null);
  }, [key]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the values (serialised), the kit and retries are the triggers.
  useEffect(() => {
    const controller = new AbortController();
    setState('loading');
    // The first render of a kit goes at once; edits wait for a pause in typing.
    const wait = rendered.current ? delay : 0;
    const timer = window.setTimeout(() => {
      const values: SlotValues = JSON.parse(serialized);
      run(values, controller.signal).then(
        (next) => {
          if (controller.signal.aborted) return;
          rendered.current = true;
          setPreview(next);
          setFieldErrors({});
          setError(null);
          setState('ready');
        },
        (failure: unknown) => {
          if (controller.signal.aborted || isAbort(failure)) return;
          const perSlot = failure instanceof ApiError && failure.status === 422 ? slotErrorsOf(failure) : {};
          rendered.current = true;
          setFieldErrors(perSlot);
          if (Object.keys(perSlot).length > 0) {
            setError(null);
            setState('invalid');
          } else {
            setError(failure);
            setState('error');
          }
        },
      );
    }, wait);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [serialized, key, attempt, delay]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { preview, state, fieldErrors, error, retry };
}
