// One principal's page content: loaded when the page opens, and again after each change to
// it. A page reloads its detail with
//
//   $effect(() => detail.watch(name, ws.revision('User', name), () => ws.users.get(name)));
//
// so a change made through the workspace's APIs (which bump the revision) reloads it.
import { untrack } from 'svelte';
import type { Principal } from '../bindings';
import { Latest } from './latest.svelte';

/** What the window gives a principal's page. */
export type PageProps = {
  name: string;
  onclose: () => void;
  ondelete: (principals: Principal[]) => void;
  /** The page follows its principal to its new name. */
  onrenamed: (name: string) => void;
};

export class Detail<T> extends Latest {
  value = $state<T | null>(null);
  #key: string | null = null;

  /**
   * Loads `key` with `load`, inside the effect that calls it: `key` and `revision` are what
   * the effect depends on, nothing that `load` reads. Another key shows the loading state
   * first; the same key keeps showing what it had until the answer comes.
   */
  watch(key: string, revision: number, load: () => Promise<T>) {
    void revision;
    untrack(() => {
      if (key !== this.#key) {
        this.#key = key;
        this.value = null;
      }
      this.load(load, (value) => (this.value = value));
    });
  }
}
