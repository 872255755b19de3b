// Roles: the account's list, one role's page, creating and changing roles, trust policies,
// boundaries and instance profiles. Deleting a role goes through `ws.deletion`.
import type { IdentityProviders, InstanceProfileRow, NewRole, Principal, RoleDetail, RoleRow } from '../bindings';
import { ListApi } from '../ui/list.svelte';

/** A principal that can have a permissions boundary: IAM groups cannot. */
export type Bounded = Principal & { kind: 'User' | 'Role' };

export class RolesApi extends ListApi<RoleRow> {
  protected readonly kind = 'Role';

  protected read(profile: string): Promise<RoleRow[]> {
    return this.backend.listRoles(profile);
  }

  /** One role in full, with its trust policy, for its page. */
  get(name: string): Promise<RoleDetail> {
    return this.backend.getRole(this.profile, name);
  }

  /**
   * Creates a role with its policies, boundary and tags. AWS makes the role first and
   * attaches the rest one call at a time, so a failure may leave the role half-dressed.
   */
  create(role: NewRole): Promise<RoleRow> {
    return this.changeWith((profile) => this.backend.createRole(profile, role));
  }

  /** The description and the maximum session duration (seconds) are one call at AWS. */
  async update(name: string, description: string, maxSessionDuration: number): Promise<void> {
    await this.change((profile) => this.backend.updateRole(profile, name, description, maxSessionDuration));
  }

  async updateTrust(name: string, document: string): Promise<void> {
    await this.change((profile) => this.backend.updateTrustPolicy(profile, name, document));
  }

  /** The account's OIDC and SAML providers, for the trust-policy builder. */
  identityProviders(): Promise<IdentityProviders> {
    return this.backend.listIdentityProviders(this.profile);
  }

  /** Every instance profile of the account, with the role each holds. */
  instanceProfiles(): Promise<InstanceProfileRow[]> {
    return this.backend.listInstanceProfiles(this.profile);
  }

  /** Creates an instance profile, with `role` in it when given. */
  createInstanceProfile(name: string, path: string, role: string | null): Promise<InstanceProfileRow> {
    return this.changeWith((profile) => this.backend.createInstanceProfile(profile, name, path, role));
  }

  async addToInstanceProfile(instanceProfile: string, role: string): Promise<void> {
    await this.change((profile) => this.backend.addRoleToInstanceProfile(profile, instanceProfile, role));
  }

  async removeFromInstanceProfile(instanceProfile: string, role: string): Promise<void> {
    await this.change((profile) => this.backend.removeRoleFromInstanceProfile(profile, instanceProfile, role));
  }

  /**
   * Deletes an instance profile; AWS refuses while it holds a role, so the Rust side takes
   * its role out first. A failure half-way leaves the profile empty: a state to retry from.
   */
  async deleteInstanceProfile(instanceProfile: string): Promise<void> {
    await this.change((profile) => this.backend.deleteInstanceProfile(profile, instanceProfile));
  }

  /** Sets a user's or role's permissions boundary to the managed policy `arn`. */
  async setBoundary(principal: Bounded, arn: string): Promise<void> {
    await this.change((profile) => this.backend.setPermissionsBoundary(profile, principal, arn));
  }

  async removeBoundary(principal: Bounded): Promise<void> {
    await this.change((profile) => this.backend.removePermissionsBoundary(profile, principal));
  }
}
