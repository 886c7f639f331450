// React bindings for apps built with React (the default apps): the OS, the theme, and live rows.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { getMatrixOS } from './matrix-os.ts';
import type { AppTheme, FindOptions, MatrixOS, Row } from './types.ts';

/** The OS for this page (see `getMatrixOS`). */
export function useMatrixOS(): MatrixOS {
  return getMatrixOS();
}

/** The current theme; re-renders when the shell or the system switches it. */
export function useTheme(): AppTheme {
  const os = getMatrixOS();
  return useSyncExternalStore(
    (cb) => os.onThemeChange(cb),
    () => os.theme,
  );
}

export interface LiveRows<T> {
  rows: T[];
  loading: boolean;
  error: Error | null;
  /** Loads again now (after a change this page made, to show it without waiting for the event). */
  reload(): void;
}

/**
 * The rows of `table` matching `options`, loaded once and again after every change to the table
 * (from this window, another window, or the AI kernel).
 */
export function useRows<T extends Row = Row>(table: string, options: FindOptions = {}): LiveRows<T> {
  const os = getMatrixOS();
  const key = JSON.stringify(options);
  const [state, setState] = useState<{ rows: T[]; loading: boolean; error: Error | null }>({ rows: [], loading: true, error: null });
  const reloadRef = useRef<() => void>(() => {});

  useEffect(() => {
    let alive = true;
    let running = false;
    let again = false;
    // Changes can arrive in bursts: at most one load runs, and one more follows if any came meanwhile.
    const load = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const rows = await os.db.find<T>(table, JSON.parse(key) as FindOptions);
          if (alive) setState({ rows, loading: false, error: null });
        } while (again && alive);
      } catch (err) {
        if (alive) setState((s) => ({ ...s, loading: false, error: err instanceof Error ? err : new Error(String(err)) }));
      } finally {
        running = false;
      }
    };
    reloadRef.current = () => void load();
    void load();
    const stop = os.db.onChange(table, () => void load());
    return () => {
      alive = false;
      stop();
    };
  }, [os, table, key]);

  return { ...state, reload: () => reloadRef.current() };
}
