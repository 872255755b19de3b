// Deleting users, groups and roles: the whole plan first (everything AWS requires to go, in
// order), then the run, step by step. A run that stops can be run again.
import type { Changed, DeletionPlan, DeletionProgress, DeletionResult, Principal } from '../bindings';
import { DomainApi } from '../change';

export class DeletionApi extends DomainApi {
  plan(principals: Principal[]): Promise<DeletionPlan[]> {
    return this.backend.planDeletion(this.profile, principals);
  }

  /**
   * Runs the deletion of `principals`; `onProgress` hears each step as it starts. Reloads
   * the principals' rows (the deleted ones leave the tables) and the other side of their
   * memberships as `plans` list them, after a failure too.
   */
  run(
    principals: Principal[],
    plans: DeletionPlan[],
    onProgress: (step: DeletionProgress) => void,
  ): Promise<DeletionResult[]> {
    const names = (kind: Principal['kind']) => principals.filter((p) => p.kind === kind).map((p) => p.name);
    const users = names('User');
    const groups = names('Group');
    // Detached policies' attachment counts change too.
    const policies: string[] = [];
    for (const plan of plans)
      for (const { step } of plan.steps) {
        if (step.action === 'removeFromGroup') {
          if (plan.principal.kind === 'Group') users.push(step.user);
          else groups.push(step.group);
        } else if (step.action === 'detachPolicy') policies.push(step.arn);
      }
    const changed: Changed = [
      ...principals.map((p) => ({ entity: { kind: p.kind, name: p.name }, how: { kind: 'Deleted' as const } })),
      ...users.map((name) => ({ entity: { kind: 'User' as const, name }, how: { kind: 'Updated' as const } })),
      ...groups.map((name) => ({ entity: { kind: 'Group' as const, name }, how: { kind: 'Updated' as const } })),
      ...policies.map((arn) => ({ entity: { kind: 'Policy' as const, arn }, how: { kind: 'Updated' as const } })),
    ];
    return this.changeWith(async (profile) => ({
      value: await this.backend.deletePrincipals(profile, principals, this.backend.channel(onProgress)),
      changed,
    }));
  }
}
