// A list of the selected profile's entities (roles, managed policies) that its tab loads when
// first shown, that a switch of profile forgets, and that a change touching its entities
// reloads, together with the pages that show them. A profile selected again shows its list
// as it was last shown (`restore`), from the workspace's cache, until it is read again.
import type { IpcError } from '../bindings';
import type { EntityKind, Scope } from '../workspace.svelte';
import { DomainApi } from '../change';

export abstract class ListApi<T> extends DomainApi {
  /** The selected profile's entities, once loaded: replaced whole, never changed in place. */
  list = $state.raw<T[] | null>(null);
  loading = $state(false);
  error = $state<IpcError | null>(null);

  /** What the pages of these entities watch (`ws.revision(kind, key)`). */
  protected abstract readonly kind: EntityKind;
  protected abstract read(profile: string): Promise<T[]>;

  /** Forgets the list: another profile is selected. */
  reset() {
    this.list = null;
    this.loading = false;
    this.error = null;
  }

  /** Shows `list` as the profile's last known one (from the workspace's cache). */
  restore(list: T[] | null) {
    this.reset();
    this.list = list;
  }

  /** Loads the list for the selected profile. */
  async load(scope: Scope = this.ws.scope()): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const list = await this.read(scope.profile);
      if (this.ws.isCurrent(scope)) this.list = list;
    } catch (e) {
      if (this.ws.isCurrent(scope)) this.error = e as IpcError;
    } finally {
      if (this.ws.isCurrent(scope)) this.loading = false;
    }
  }

  /** After a change that touched these entities (by name or ARN): the list and their pages reload. */
  async settle(scope: Scope, keys: string[]): Promise<void> {
    if (this.list) await this.load(scope);
    for (const key of keys) this.ws.touch(scope, this.kind, key);
  }
}
