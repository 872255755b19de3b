// Managed policies: the account's list (AWS's and its own), one policy's page, versions,
// creating policies. Attaching and detaching is the principals' code path
// (`ws.principals.attach/detach`), from either side, so it touches the policy too; deleting
// one is a deletion (`ws.deletion`), as for a user.
import type { NewPolicy, PolicyDetail, PolicySummary, PolicyVersion } from '../bindings';
import { inTurn } from '../change';
import { ListApi } from '../ui/list.svelte';

/** AWS keeps at most this many versions of a managed policy. */
export const MAX_VERSIONS = 5;

/** The oldest version that is not the default: the one to give way when the policy is full. */
export function oldestNonDefault(versions: PolicyVersion[]): PolicyVersion | null {
  // Newest first, as the core lists them.
  return [...versions].reverse().find((v) => !v.default) ?? null;
}

export class PoliciesApi extends ListApi<PolicySummary> {
  protected readonly kind = 'Policy';

  protected read(profile: string): Promise<PolicySummary[]> {
    return this.backend.listPolicies(profile);
  }

  /** One policy's page: its summary, versions (newest first), entities and tags. */
  get(arn: string): Promise<PolicyDetail> {
    return this.backend.getPolicy(this.profile, arn);
  }

  create(policy: NewPolicy): Promise<PolicySummary> {
    return this.changeWith((profile) => this.backend.createPolicy(profile, policy));
  }

  createVersion(arn: string, document: string, setDefault: boolean): Promise<PolicyVersion> {
    return this.changeWith((profile) => this.backend.createPolicyVersion(profile, arn, document, setDefault));
  }

  /**
   * A policy with all its versions used: `oldest` (not the default) goes first, then the new
   * version is created. When the deletion fails nothing is created; when the creation fails
   * the deletion stays done, and the page reloads either way.
   */
  async replaceOldestVersion(
    arn: string,
    oldest: string,
    document: string,
    setDefault: boolean,
  ): Promise<PolicyVersion> {
    let created: PolicyVersion | undefined;
    await this.change((profile) =>
      inTurn([
        () => this.backend.deletePolicyVersion(profile, arn, oldest),
        async () => {
          const done = await this.backend.createPolicyVersion(profile, arn, document, setDefault);
          created = done.value;
          return done.changed;
        },
      ]),
    );
    return created!;
  }

  async setDefault(arn: string, version: string): Promise<void> {
    await this.change((profile) => this.backend.setDefaultPolicyVersion(profile, arn, version));
  }

  async deleteVersion(arn: string, version: string): Promise<void> {
    await this.change((profile) => this.backend.deletePolicyVersion(profile, arn, version));
  }
}
