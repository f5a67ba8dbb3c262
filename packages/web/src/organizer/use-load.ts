import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/problem.ts";

export interface Loaded<T> {
  value: T | null;
  error: string | null;
  /** Loads again (after an edit), keeping the current value on screen meanwhile. */
  reload(): void;
}

/** `load()` once per `key` and on `reload()`, as a value or the problem's sentence. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (v) => {
        if (!current) return;
        setValue(v);
        setError(null);
      },
      (e) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  return { value, error, reload: () => setRound((r) => r + 1) };
}
