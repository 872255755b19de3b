// Who can do what, answered offline by the core from the profile's snapshot of the account:
// a principal's effective permissions, the simulator, "who can do this?".
//
// The simulator's and "who can" answers live here, not in their components, so that they
// survive a tab switch and are forgotten with everything else when another profile is
// selected (`reset`).
import type {
  AccessPreset,
  EffectivePermissions,
  IpcError,
  Principal,
  Simulation,
  SimulationRequest,
  SnapshotInfo,
  WhoCan,
} from '../bindings';
import { DomainApi } from '../change';
import type { Session } from '../session.svelte';
import { forSelection, Question } from '../ui/question.svelte';
import { Latest } from '../ui/latest.svelte';

export type WhoCanQuestion = { actions: string[]; resource: string | null };

export class AccessApi extends DomainApi {
  /** The selected profile's snapshot, once read. */
  snapshot = $state<SnapshotInfo | null>(null);
  #reading = new Latest();
  get loading(): boolean {
    return this.#reading.busy;
  }
  get error(): IpcError | null {
    return this.#reading.error;
  }
  /** A change was made in the app since the snapshot was read: its answers may be out of date. */
  stale = $state(false);

  /** The simulator's last answer. */
  readonly simulation = new Question<SimulationRequest, Simulation>(
    (request, profile) => this.backend.simulateAccess(profile, request),
    forSelection(this.session),
  );
  /** "Who can do this?"'s last answer. */
  readonly who = new Question<WhoCanQuestion, WhoCan[]>(
    (q, profile) => this.backend.whoCan(profile, q.actions, q.resource),
    forSelection(this.session),
  );

  constructor(session: Session) {
    super(session);
    // Who can do what was answered from a snapshot read before the change.
    session.onChange((scope) => {
      if (session.isCurrent(scope) && this.snapshot) this.stale = true;
    });
  }

  /** Forgets the snapshot's details: another profile is selected. */
  reset() {
    this.snapshot = null;
    this.stale = false;
    this.#reading.reset();
    this.simulation.reset();
    this.who.reset();
  }

  /** Reads the account again: later answers come from this snapshot. */
  async load(): Promise<void> {
    const scope = this.session.scope();
    await this.#reading.load(
      () => this.backend.loadAccessSnapshot(scope.profile),
      (info) => {
        this.snapshot = info;
        this.stale = false;
      },
      () => this.session.isCurrent(scope),
    );
  }

  effective(principal: Principal): Promise<EffectivePermissions> {
    return this.backend.getEffectivePermissions(this.profile, principal);
  }

  simulate(request: SimulationRequest): Promise<Simulation> {
    return this.backend.simulateAccess(this.profile, request);
  }

  whoCan(actions: string[], resource: string | null): Promise<WhoCan[]> {
    return this.backend.whoCan(this.profile, actions, resource);
  }

  presets(): Promise<AccessPreset[]> {
    return this.backend.listAccessPresets();
  }
}
