import './noLayoutRange';

// jsdom has no layout engine: no ResizeObserver, which `bind:clientHeight` uses. Sizes
// stay 0 there, and the virtualised table falls back to a first page of rows.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;

// jsdom has HTMLDialogElement without its methods (jsdom 26): enough of them for the dialogs
// to open and close. What jsdom cannot do is make the page behind a modal dialog inert: the
// dialogs keep Tab inside themselves (lib/modal.ts), and that is what the tests check.
if (!HTMLDialogElement.prototype.showModal) {
  Object.assign(HTMLDialogElement.prototype, {
    show(this: HTMLDialogElement) {
      this.open = true;
    },
    showModal(this: HTMLDialogElement) {
      if (this.open) throw new DOMException('The dialog is already open.', 'InvalidStateError');
      if (!this.isConnected) throw new DOMException('The dialog is not in a document.', 'InvalidStateError');
      this.open = true;
    },
    close(this: HTMLDialogElement, returnValue?: string) {
      if (!this.open) return;
      this.open = false;
      if (returnValue !== undefined) this.returnValue = returnValue;
      this.dispatchEvent(new Event('close'));
    },
  });
}
