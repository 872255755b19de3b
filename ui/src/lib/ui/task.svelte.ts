// One change at a time on a page: `busy` while it runs (buttons disable themselves), and
// `error` for the sentence to show next to the thing that failed.
import { toIpcError } from '../backend';
import type { IpcError } from '../bindings';

export class Task {
  busy = $state(false);
  error = $state<IpcError | null>(null);
  /** Where on the page the failed change belongs (`run`'s `at`); null: the page itself. */
  at = $state<string | null>(null);

  /**
   * Runs `change` (an API call: it reloads what it touched); false when it failed. `at`
   * names the part of the page where its error shows, when that is not the page itself.
   */
  async run(change: () => Promise<unknown>, at: string | null = null): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.at = at;
    try {
      await change();
      return true;
    } catch (e) {
      this.error = toIpcError(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** The error to show at `at`, or on the page itself. */
  errorAt(at: string | null = null): IpcError | null {
    return this.at === at ? this.error : null;
  }
}
