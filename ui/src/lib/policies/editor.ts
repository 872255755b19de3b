// The policy editor's questions, answered offline by the core: diagnostics, action
// completion and hover, the service principals and the trust-policy builder. No profile.
import type { ActionInfo, ActionPattern, PolicyKind, ServicePrincipal, TrustSpec, Validation } from '../bindings';
import { DomainApi } from '../change';

export class EditorApi extends DomainApi {
  validate(document: string, kind: PolicyKind): Promise<Validation> {
    return this.backend.validatePolicy(document, kind);
  }

  complete(prefix: string): Promise<ActionInfo[]> {
    return this.backend.completeActions(prefix);
  }

  describe(pattern: string): Promise<ActionPattern> {
    return this.backend.describeActions(pattern);
  }

  servicePrincipals(): Promise<ServicePrincipal[]> {
    return this.backend.listServicePrincipals();
  }

  buildTrustPolicy(spec: TrustSpec): Promise<string> {
    return this.backend.buildTrustPolicy(spec);
  }
}
