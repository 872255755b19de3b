// Deleting users, groups, roles and managed policies: the whole plan first (everything AWS
// requires to go, in order), then the run, step by step. A run that stops can be run again.
import type { DeletionPlan, DeletionProgress, DeletionResult, Target } from '../bindings';
import { DomainApi } from '../change';

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
    return this.changeWith(async (profile) => {
      const results = await this.backend.runDeletion(profile, targets, this.backend.channel(onProgress));
      return { value: results, changed: results.flatMap((r) => r.changed) };
    });
  }
}
