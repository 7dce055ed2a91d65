import { useHotkeys } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { consoleLocked, focusListSearch } from './keys';

/**
 * The console-wide shortcuts: Ctrl+K (also from a text field), `/`, `?` and Alt+Left/Right (not
 * while typing).
 * None acts while the lock screen is up.
 */
export function useConsoleKeys({
  showList,
  showShortcuts,
  back,
  forward,
}: {
  /** Brings a list with a search box on screen (the accounts list). */
  showList(): void;
  showShortcuts(): void;
  /** The screen before this one, and after it, in the screens visited (Alt+Left, Alt+Right). */
  back(): void;
  forward(): void;
}): void {
  const unlocked = (fn: () => void) => () => {
    if (!consoleLocked()) fn();
  };
  useHotkeys([['mod+K', unlocked(() => spotlight.open())]], []);
  useHotkeys([
    ['/', unlocked(() => focusListSearch(showList))],
    ['shift+?', unlocked(showShortcuts)],
    // Not in a text field, where Alt+arrows move the caret by words (macOS).
    ['alt+ArrowLeft', unlocked(back)],
    ['alt+ArrowRight', unlocked(forward)],
  ]);
}
