import { useHotkeys } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { consoleLocked, focusListSearch } from './keys';

/**
 * The console-wide shortcuts: Ctrl+K (also from a text field), `/` and `?` (not while typing).
 * None acts while the lock screen is up.
 */
export function useConsoleKeys({
  showList,
  showShortcuts,
}: {
  /** Brings a list with a search box on screen (the accounts list). */
  showList(): void;
  showShortcuts(): void;
}): void {
  const unlocked = (fn: () => void) => () => {
    if (!consoleLocked()) fn();
  };
  useHotkeys([['mod+K', unlocked(() => spotlight.open())]], []);
  useHotkeys([
    ['/', unlocked(() => focusListSearch(showList))],
    ['shift+?', unlocked(showShortcuts)],
  ]);
}
