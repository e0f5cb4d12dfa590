import { useEffect, useRef, useState } from 'react';

/** `value`, but taking a new one at most every `intervalMs` (the last one always lands); 0 = at once. */
export function useThrottled<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (intervalMs === 0) return;
    const timer = setTimeout(
      () => {
        last.current = performance.now();
        setShown(value);
      },
      Math.max(0, last.current + intervalMs - performance.now()),
    );
    return () => clearTimeout(timer);
  }, [value, intervalMs]);
  return intervalMs === 0 ? value : shown;
}
