import { useHotkeys } from '@mantine/hooks';
import type { RefObject } from 'react';
import { consoleLocked, dialogOpen } from './keys';

/**
 * Esc (go back) and Ctrl+S (save) for the screen holding `ref`. They act only while that screen
 * is the one shown: not when it is parked behind another section, not under a dialog or the lock
 * screen. Ctrl+S works from inside a field; Esc not while typing (a field may use it).
 */
export function useScreenKeys(
  ref: RefObject<HTMLElement | null>,
  keys: { back?: (() => void) | undefined; save?: (() => void) | undefined },
): void {
  const shown = () => {
    const el = ref.current;
    return !!el && !el.closest('.parked') && !dialogOpen() && !consoleLocked();
  };
  useHotkeys([['Escape', () => shown() && keys.back?.(), { preventDefault: false }]]);
  useHotkeys(
    [
      [
        'mod+S',
        () => {
          if (shown()) keys.save?.();
        },
      ],
    ],
    [],
  );
}
