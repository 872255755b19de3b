// "The latest answer wins", for whatever asks the Rust side something and may ask again
// before the answer comes (a page's detail, a list, a question, a validation): answers come
// back in any order, and only the request begun last, while it is still about what is on
// screen, may show its answer or its error. A slower answer to an earlier one is dropped.
import type { IpcError } from '../bindings';
import { toIpcError } from '../backend';

export class Latest {
  /** The latest request is under way. */
  busy = $state(false);
  /** Why the latest request failed. */
  error = $state<IpcError | null>(null);
  #ticket = 0;

  /**
   * Begins a request, without `busy` or `error`: the function returned says whether it is
   * still the latest one, and `still()` still holds (the profile it was made for is selected).
   */
  begin(still: () => boolean = () => true): () => boolean {
    const ticket = ++this.#ticket;
    return () => ticket === this.#ticket && still();
  }

  /**
   * Asks with `ask`, which gets whether it is still current (to drop what it reports along
   * the way); `land` gets the answer only while it is. Whether it landed.
   */
  async load<T>(
    ask: (current: () => boolean) => Promise<T>,
    land: (answer: T) => void,
    still?: () => boolean,
  ): Promise<boolean> {
    const current = this.begin(still);
    this.busy = true;
    this.error = null;
    try {
      const answer = await ask(current);
      if (!current()) return false;
      land(answer);
      return true;
    } catch (e) {
      if (current()) this.error = toIpcError(e);
      return false;
    } finally {
      if (current()) this.busy = false;
    }
  }

  /** Drops the answers of the requests under way: none is under way, none failed. */
  reset() {
    this.#ticket++;
    this.busy = false;
    this.error = null;
  }
}
