// Managed policies: the account's list (AWS's and its own), one policy's page, versions,
// creating and deleting policies.
//
// CONTRACT STUB: the list's loading and refresh are here; the rest is being written.
import type { IpcError, PolicySummary } from '../bindings';
import type { Scope } from '../workspace.svelte';
import { DomainApi } from './change';

export class PoliciesApi extends DomainApi {
  /** The selected profile's managed policies, once loaded (the Policies tab loads them). */
  list = $state<PolicySummary[] | null>(null);
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
      const list = await this.backend.listPolicies(scope.profile);
      if (this.ws.isCurrent(scope)) this.list = list;
    } catch (e) {
      if (this.ws.isCurrent(scope)) this.error = e as IpcError;
    } finally {
      if (this.ws.isCurrent(scope)) this.loading = false;
    }
  }

  /** After a change that touched these policies (by ARN): their rows and pages reload. */
  async settle(scope: Scope, arns: string[]): Promise<void> {
    if (this.list) await this.load(scope);
    for (const arn of arns) this.ws.touch(scope, 'Policy', arn);
  }
}
