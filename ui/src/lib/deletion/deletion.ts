// Deleting users, groups, roles and managed policies: the whole plan first (everything AWS
// requires to go, in order), then the run, step by step. A run that stops can be run again.
import type { Changed, DeletionPlan, DeletionProgress, DeletionResult, Target } from '../bindings';
import { DomainApi, type Touched } from '../change';

export class DeletionApi extends DomainApi {
  plan(targets: Target[]): Promise<DeletionPlan[]> {
    return this.backend.planDeletion(this.profile, targets);
  }

  /**
   * Runs the deletion of `targets`; `onProgress` hears each step as it starts. Then reloads
   * what the steps changed, as the results say, after a failure too: the deleted rows leave
   * the tables, and the groups, roles and policies on the other side of a membership or an
   * attachment reload.
   */
  run(targets: Target[], onProgress: (step: DeletionProgress) => void): Promise<DeletionResult[]> {
    // Known once the results are in; `change` reads it only then.
    const touched: Touched = {};
    return this.change(async (profile) => {
      const results = await this.backend.runDeletion(profile, targets, this.backend.channel(onProgress));
      Object.assign(touched, reloads(results.flatMap((r) => r.changed)));
      return results;
    }, touched);
  }
}

/** The rows and pages that show what changed: a user's keys, MFA devices and password are on its row. */
function reloads(changed: Changed): Touched {
  const [users, groups, roles, policies] = [new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>()];
  for (const { entity: e } of changed) {
    if (e.kind === 'User') users.add(e.name);
    else if (e.kind === 'AccessKey' || e.kind === 'MfaDevice' || e.kind === 'LoginProfile') users.add(e.user);
    else if (e.kind === 'Group') groups.add(e.name);
    else if (e.kind === 'Role') roles.add(e.name);
    else if (e.kind === 'Policy') policies.add(e.arn);
  }
  return { users: [...users], groups: [...groups], roles: [...roles], policies: [...policies] };
}
