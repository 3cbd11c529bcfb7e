import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { isAbort } from './api/problem.ts';

/** While loading, `previous` is the data loaded before the reload or key change, if any. */
export type ResourceState<T> =
  | { status: 'loading'; previous?: T }
  | { status: 'success'; data: T }
  | { status: 'error'; error: unknown };

export type Resource<T> = ResourceState<T> & { reload: () => void };

/** The data to show: the loaded data, or while loading again, what was there before. */
export function latestData<T>(state: ResourceState<T>): T | undefined {
  if (state.status === 'success') return state.data;
  return state.status === 'loading' ? state.previous : undefined;
}

/**
 * Loads data for a component: re-runs when `key` changes or `reload()` is called, and aborts
 * the request that is in flight when the component goes away or the key moves on.
 */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const run = useEffectEvent((signal: AbortSignal) => load(signal));

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `attempt` are the triggers; `run` always sees the latest `load`.
  useEffect(() => {
    const controller = new AbortController();
    setState((current) => {
      const previous =
        current.status === 'success'
          ? current.data
          : current.status === 'loading'
            ? current.previous
            : undefined;
      return previous === undefined ? { status: 'loading' } : { status: 'loading', previous };
    });
    run(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'success', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
