// One change at a time on a page: `busy` while it runs (buttons disable themselves), and
// `error` for the sentence to show next to it when it failed.
import type { IpcError } from './bindings';

export class Action {
  busy = $state(false);
  error = $state<IpcError | null>(null);

  /** Runs `change`, then `after` (reloading what it touched); false when either failed. */
  async run(change: () => Promise<unknown>, after?: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await change();
      await after?.();
      return true;
    } catch (e) {
      this.error = e as IpcError;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
