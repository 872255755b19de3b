// Whether AWS is throttling the changes being made. The Rust side backs a throttled call
// off and sends it again, so a bulk change still finishes; this says why it is slow.
import type { Backend } from '../backend';

/** How often the count is read while a change runs. */
export const THROTTLE_POLL_MS = 1000;

export class ThrottleWatch {
  /** Calls AWS throttled since the changes running now began; 0 when none run. */
  count = $state(0);
  #running = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly backend: () => Backend) {}

  /**
   * Watches `profile` while a change runs; returns the function that ends the watch. Changes
   * that overlap share one watch.
   */
  watch(profile: string): () => void {
    this.#running += 1;
    if (this.#running === 1) this.#start(profile);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#running -= 1;
      if (this.#running === 0) this.#stop();
    };
  }

  async #start(profile: string) {
    const read = () => this.backend().getThrottledCalls(profile);
    let base: number;
    try {
      base = await read();
    } catch {
      // Not connected, or an older Rust side: nothing to watch.
      return;
    }
    if (this.#running === 0) return;
    this.#timer = setInterval(async () => {
      try {
        const now = await read();
        if (this.#timer !== null) this.count = Math.max(0, now - base);
      } catch {
        this.#stop();
      }
    }, THROTTLE_POLL_MS);
  }

  #stop() {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.count = 0;
  }
}
