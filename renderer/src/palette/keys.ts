/** Whether the lock screen covers the console (its shortcuts then do nothing). */
export function consoleLocked(): boolean {
  return document.querySelector('.lock-overlay') !== null;
}

/** Whether a dialog (or the palette) is open: Esc is then the dialog's, not "go back". */
export function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"], .lock-overlay') !== null;
}

/**
 * Focuses the search box of the list on screen (marked data-list-search); none showing, asks
 * for one (`show`) and focuses it once it is drawn.
 */
export function focusListSearch(show: () => void): void {
  const find = () =>
    [...document.querySelectorAll<HTMLInputElement>('input[data-list-search]')].find(
      (el) => !el.closest('.parked') && el.offsetParent !== null,
    );
  const now = find();
  if (now) {
    now.focus();
    now.select();
    return;
  }
  show();
  let tries = 0;
  const retry = () => {
    const el = find();
    if (el) el.focus();
    else if (++tries < 20) requestAnimationFrame(retry);
  };
  requestAnimationFrame(retry);
}
