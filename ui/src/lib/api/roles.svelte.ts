// Roles: the account's list, one role's page, creating and changing roles, trust policies,
// boundaries and instance profiles. Deleting a role goes through `ws.deletion`.
//
// CONTRACT STUB: the list's loading and refresh are here; the rest is being written.
import type { IpcError, RoleRow } from '../bindings';
import type { Scope } from '../workspace.svelte';
import { DomainApi } from './change';

export class RolesApi extends DomainApi {
  /** The selected profile's roles, once loaded (the Roles tab loads them). */
  list = $state<RoleRow[] | null>(null);
  loading = $state(false);
  error = $state<IpcError | null>(null);

  /** Forgets the list: another profile is selected. */
  reset() {
    this.list = null;
    this.loading = false;
    this.error = null;
  }

  /** Loads the list for the selected profile. */
  async load(scope: Scope = this.ws.scope()): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const list = await this.backend.listRoles(scope.profile);
      if (this.ws.isCurrent(scope)) this.list = list;
    } catch (e) {
      if (this.ws.isCurrent(scope)) this.error = e as IpcError;
    } finally {
      if (this.ws.isCurrent(scope)) this.loading = false;
    }
  }

  /** After a change that touched these roles: their rows and pages reload. */
  async settle(scope: Scope, names: string[]): Promise<void> {
    if (this.list) await this.load(scope);
    for (const name of names) this.ws.touch(scope, 'Role', name);
  }
}
