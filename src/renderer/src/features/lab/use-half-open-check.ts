/**
 * Asks the engine once whether the half-open experiment can run here (Linux,
 * root, `ip netns`); while the answer is pending the control is not offered.
 */
import { useEffect, useState } from 'react';
import { useApi } from '@renderer/api/api-context';

export type HalfOpenCheck = { status: 'checking' } | { status: 'ready'; available: boolean; reason: string | null; fix: string | null };

export function useHalfOpenCheck(wanted: boolean): HalfOpenCheck {
  const { api } = useApi();
  const [check, setCheck] = useState<HalfOpenCheck>({ status: 'checking' });
  const asked = check.status === 'ready';
  useEffect(() => {
    if (!wanted || asked) return;
    let live = true;
    void api.call('tcp.halfOpenCheck', {}).then((result) => {
      if (!live) return;
      setCheck(
        result.ok
          ? { status: 'ready', ...result.value }
          : { status: 'ready', available: false, reason: result.error.message, fix: 'try again after restarting the engine' },
      );
    });
    return () => {
      live = false;
    };
  }, [api, wanted, asked]);
  return check;
}
