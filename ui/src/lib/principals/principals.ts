// What users, groups and roles have in common, one code path for every kind: renaming or
// moving, tags (groups have none), managed and inline policies.
import type { PolicySummary, Principal, Tag } from '../bindings';
import { DomainApi, inTurn } from '../change';

/** A principal that can carry tags: IAM groups cannot. */
export type Taggable = Principal & { kind: 'User' | 'Role' };

export class PrincipalsApi extends DomainApi {
  #catalogue: { generation: number; list: Promise<PolicySummary[]> } | null = null;

  /**
   * Renames or moves `principal` (`null`: that part stays). Reloads its row under the new
   * name, and the rows on the other side of its memberships, which name it.
   */
  async rename(principal: Principal, newName: string | null, newPath: string | null): Promise<void> {
    await this.change((profile) => this.backend.renamePrincipal(profile, principal, newName, newPath));
  }

  /** Adds or overwrites `tags`; `existing` is the principal's tag set, for AWS's limits. */
  async tag(principal: Taggable, existing: Tag[], tags: Tag[]): Promise<void> {
    await this.change((profile) => this.backend.tagPrincipal(profile, principal, existing, tags));
  }

  async untag(principal: Taggable, keys: string[]): Promise<void> {
    await this.change((profile) => this.backend.untagPrincipal(profile, principal, keys));
  }

  /** Attaches managed policies one by one; the ones before a failure stay attached. */
  async attach(principal: Principal, arns: string[]): Promise<void> {
    await this.change((profile) => inTurn(arns.map((arn) => () => this.backend.attachPolicy(profile, principal, arn))));
  }

  async detach(principal: Principal, arn: string): Promise<void> {
    await this.change((profile) => this.backend.detachPolicy(profile, principal, arn));
  }

  /** An inline policy's document. */
  inlinePolicy(principal: Principal, name: string): Promise<string> {
    return this.backend.getInlinePolicy(this.profile, principal, name);
  }

  /** Creates or replaces an inline policy. */
  async putInlinePolicy(principal: Principal, name: string, document: string): Promise<void> {
    await this.change((profile) => this.backend.putInlinePolicy(profile, principal, name, document));
  }

  async deleteInlinePolicy(principal: Principal, name: string): Promise<void> {
    await this.change((profile) => this.backend.deleteInlinePolicy(profile, principal, name));
  }

  /** The account's managed policies and AWS's, listed once per profile selection. */
  managedPolicies(): Promise<PolicySummary[]> {
    const { profile, generation } = this.session.scope();
    if (this.#catalogue?.generation !== generation) {
      const list = this.backend.listPolicies(profile);
      this.#catalogue = { generation, list };
      // A failure is not kept: the next picker asks again.
      list.catch(() => {
        if (this.#catalogue?.list === list) this.#catalogue = null;
      });
    }
    return this.#catalogue.list;
  }
}
