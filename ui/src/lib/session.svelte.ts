// The session: which profile is selected, in which generation, who it is and what its
// account holds (the inventory), and the pages watching its entities. Every switch starts a
// new generation; an answer that belongs to an older one is dropped, so nothing of the
// previous account can ever appear under the new one. The stores keep that rule through
// `scope()`/`isCurrent()`.
//
// A change made through a store is announced here with what the Rust side says it changed;
// each store subscribes once (`onChange`) and reloads its own part. So the stores depend on
// the session only, never on each other or on the workspace that holds them all.
import type { Backend } from './backend';
import type { CallerIdentity, Changed, Inventory, PrincipalKind, ProfileList } from './bindings';

/** The profile a change is made with, and the selection it belongs to. */
export type Scope = { readonly profile: string; readonly generation: number };

/** What an open page can show and watch for changes: a principal, or a managed policy (by ARN). */
export type EntityKind = PrincipalKind | 'Policy';

/** What a store does after a change: never throws (the change's outcome is what callers hear). */
export type ChangeListener = (scope: Scope, changed: Changed) => Promise<unknown> | void;

export abstract class Session {
  profiles = $state<ProfileList | null>(null);
  selected = $state<string | null>(null);
  identity = $state<CallerIdentity | null>(null);
  // Raw (not deeply reactive): replaced whole, never changed in place, so 5,000 users are
  // read at plain-object speed and shared with the cache without copies.
  inventory = $state.raw<Inventory | null>(null);
  readonly backend: Backend;
  /** Whether AWS is throttling the changes running now. */
  readonly throttle = new ThrottleWatch(() => this.backend);
  #generation = 0;
  /** Changes made through the stores, per entity ("User/ana"): what open pages watch. */
  #revisions = $state<Record<string, number>>({});
  #listeners: ChangeListener[] = [];

  constructor(backend: Backend) {
    this.backend = this.watch(backend);
  }

  /** `backend` as the session calls it (the workspace watches it for ended sessions). */
  protected watch(backend: Backend): Backend {
    return backend;
  }

  /** Selects `profile`: connects it and reads its account. */
  abstract select(profile: string): Promise<void>;
  /** Reads the AWS config and credentials files again. */
  abstract loadProfiles(): Promise<void>;
  /** Drops what is kept of `profile`'s account: it is no longer what the account holds. */
  abstract forget(profile: string): void;

  /** The connected profile, for commands. */
  get profile(): string {
    return this.identity?.profile ?? '';
  }

  protected get generation(): number {
    return this.#generation;
  }

  /** Starts a new generation: nothing still on its way to the previous one is shown. */
  protected nextGeneration(): number {
    return ++this.#generation;
  }

  /** The selected profile and its generation: what a change starting now belongs to. */
  scope(): Scope {
    return { profile: this.profile, generation: this.#generation };
  }

  /** Whether `scope` is still the selection: only then may an answer change what is shown. */
  isCurrent(scope: Scope): boolean {
    return scope.generation === this.#generation;
  }

  /**
   * How many changes were made to an entity through the stores. A page that shows it reads
   * this in the effect that loads it, so it reloads after each change.
   */
  revision(kind: EntityKind, name: string): number {
    return this.#revisions[`${kind}/${name}`] ?? 0;
  }

  /** Tells the pages showing an entity that it changed; not when the profile has changed since. */
  touch(scope: Scope, kind: EntityKind, name: string) {
    if (!this.isCurrent(scope)) return;
    const key = `${kind}/${name}`;
    this.#revisions[key] = (this.#revisions[key] ?? 0) + 1;
  }

  /** `listener` hears every change made through the stores, with what it changed. */
  onChange(listener: ChangeListener) {
    this.#listeners.push(listener);
  }

  /** Tells every listener what a change made with `scope` changed, and waits for them. */
  async announce(scope: Scope, changed: Changed): Promise<void> {
    if (!changed.length) return;
    await Promise.allSettled(this.#listeners.map(async (listen) => listen(scope, changed)));
    // Another profile was selected before the change was done (or while its parts were read
    // again): what is kept of the profile is older than the change.
    if (!this.isCurrent(scope)) this.forget(scope.profile);
  }
}

// Whether AWS is throttling the changes being made. The Rust side backs a throttled call
// off and sends it again, so a bulk change still finishes; this says why it is slow.

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
