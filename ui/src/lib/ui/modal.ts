// What every dialog of the window does with the page behind it and with the keyboard focus,
// in one place (Modal.svelte and the profile palette use it).
//
// A dialog is a native <dialog> opened with showModal(): the browser makes the page behind
// it inert (no click, no focus, hidden from assistive technology) for as long as it is open.
// On top of that:
// - the focus starts inside: where the dialog's content put it, else on its first control
//   (as the HTML dialog focusing steps do);
// - Tab and Shift+Tab cycle through the dialog's controls, whatever the browser does at
//   the end of an inert page (WebKit may hand the focus to the window's chrome);
// - Escape does not close the <dialog> by itself (its `cancel` is refused): the component
//   that shows it decides, with its own Escape handling, since a dialog that runs something
//   cannot be closed then;
// - when the dialog goes, the focus returns to what had it when the dialog opened.

const CONTROLS =
  'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]:not([contenteditable="false"])';

/** The controls Tab reaches inside `root`, in document order. */
export function tabbables(root: Element): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(CONTROLS)].filter((e) => {
    const index = e.getAttribute('tabindex');
    if (index !== null && Number(index) < 0) return false;
    if ((e as HTMLButtonElement).disabled || (e instanceof HTMLInputElement && e.type === 'hidden')) return false;
    if (e.closest('[inert], [hidden]')) return false;
    // Not drawn (display: none, a closed <details>): the browser skips it. jsdom has no layout.
    return typeof e.checkVisibility !== 'function' || e.checkVisibility();
  });
}

/** What has the focus now, if anything does. */
export function focused(): HTMLElement | null {
  const e = document.activeElement;
  return e instanceof HTMLElement && e !== document.body ? e : null;
}

/**
 * Shows `dialog` as the window's modal dialog and keeps the focus in it; `opener` (what had
 * the focus before the dialog was created) gets it back when the returned function runs,
 * which is when the dialog goes.
 */
export function showModal(dialog: HTMLDialogElement, opener: HTMLElement | null): () => void {
  // Something the content focused while it was drawn keeps the focus.
  const inside = focused();
  const start = inside && dialog.contains(inside) ? inside : null;
  if (!dialog.open) dialog.showModal();
  (start ?? tabbables(dialog)[0] ?? dialog).focus();

  let open = true;
  const cancel = (e: Event) => e.preventDefault();
  // Should the browser close it anyway (Chrome gives up refusing a cancel without a user
  // gesture between two), it is shown again: only its component removes it.
  const closed = () => {
    if (open && dialog.isConnected) dialog.showModal();
  };
  const keydown = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const controls = tabbables(dialog);
    const now = focused();
    const first = controls[0];
    const last = controls[controls.length - 1];
    const into = !first
      ? dialog
      : e.shiftKey && (now === first || now === dialog || !now || !dialog.contains(now))
        ? last
        : !e.shiftKey && (now === last || !now || !dialog.contains(now))
          ? first
          : null;
    if (into) {
      e.preventDefault();
      into.focus();
    }
  };
  dialog.addEventListener('cancel', cancel);
  dialog.addEventListener('close', closed);
  dialog.addEventListener('keydown', keydown);

  return () => {
    open = false;
    dialog.removeEventListener('cancel', cancel);
    dialog.removeEventListener('close', closed);
    dialog.removeEventListener('keydown', keydown);
    const now = focused();
    // The page is inert until the dialog is closed: close it before giving the focus back.
    if (dialog.open) dialog.close();
    // Unless something else took the focus meanwhile (another dialog, a page that opened).
    if (opener?.isConnected && (!now || dialog.contains(now))) opener.focus();
  };
}
