import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError, isSessionProblem } from './api';
import { useSession } from './session';

export interface Loaded<T> {
  data: T | null;
  /** The backend's refusal, as a sentence for an Alert (session problems are left to the app). */
  error: string | null;
  loading: boolean;
  reload(): void;
  setData(next: T): void;
}

/**
 * Loads something from the backend when a screen opens and whenever `key` changes; a load the
 * lock refused is retried once the console is unlocked. The newest request wins.
 */
export function useLoad<T>(load: () => Promise<T>, key = ''): Loaded<T> {
  const { unlockCount } = useSession();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  const requestId = useRef(0);

  useEffect(() => {
    loadRef.current = load;
  }, [load]);

  useEffect(() => {
    const id = ++requestId.current;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (id !== requestId.current) return;
        setData(value);
        setError(null);
      })
      .catch((err: unknown) => {
        if (id !== requestId.current || isSessionProblem(err)) return;
        setError(isApiError(err) ? err.message : 'Could not load this. Try again.');
      })
      .finally(() => {
        if (id === requestId.current) setLoading(false);
      });
  }, [key, generation, unlockCount]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}
