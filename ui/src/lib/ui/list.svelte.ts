// A list of the selected profile's entities (roles, managed policies) that its tab loads when
// first shown, that a switch of profile forgets, and that a change touching its entities
// reloads, together with the pages that show them. A profile selected again shows its list
// as it was last shown (`restore`), from the workspace's cache, until it is read again.
import { Latest } from './latest.svelte';
import type { EntityKind, Scope, Session } from '../session.svelte';
import { DomainApi, namesIn } from '../change';

export abstract class ListApi<T> extends DomainApi {
  constructor(session: Session) {
    super(session);
    // A change naming entities of this kind reloads the list and their pages.
    session.onChange((scope, changed) => {
      const keys = namesIn(changed, this.kind);
      return keys.length ? this.settle(scope, keys) : undefined;
    });
  }

  /** The selected profile's entities, once loaded: replaced whole, never changed in place. */
  list = $state.raw<T[] | null>(null);
  #reading = new Latest();
  get loading() {
    return this.#reading.busy;
  }
  get error() {
    return this.#reading.error;
  }

  /** What the pages of these entities watch (`session.revision(kind, key)`). */
  protected abstract readonly kind: Exclude<EntityKind, 'User' | 'Group'>;
  protected abstract read(profile: string): Promise<T[]>;

  /** Forgets the list: another profile is selected. */
  reset() {
    this.list = null;
    this.#reading.reset();
  }

  /** Shows `list` as the profile's last known one (from the workspace's cache). */
  restore(list: T[] | null) {
    this.reset();
    this.list = list;
  }

  /** Loads the list for the selected profile. */
  async load(scope: Scope = this.session.scope()): Promise<void> {
    await this.#reading.load(
      () => this.read(scope.profile),
      (list) => (this.list = list),
      () => this.session.isCurrent(scope),
    );
  }

  /** After a change that touched these entities (by name or ARN): the list and their pages reload. */
  async settle(scope: Scope, keys: string[]): Promise<void> {
    if (this.list) await this.load(scope);
    for (const key of keys) this.session.touch(scope, this.kind, key);
  }
}
