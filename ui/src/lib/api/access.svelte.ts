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
import { toIpcError } from '../backend';
import type { Workspace } from '../workspace.svelte';
import { DomainApi } from './change';

/** One question asked of the snapshot at a time: the latest one's answer, or its error. */
export class Question<Q, A> {
  /** What `answer` answers: the form shows it again after a tab switch. */
  asked = $state<Q | null>(null);
  answer = $state<A | null>(null);
  busy = $state(false);
  error = $state<IpcError | null>(null);
  // A slower answer to an earlier question must not replace a later one's.
  #ticket = 0;

  constructor(
    private readonly ws: Workspace,
    private readonly ask: (profile: string, question: Q) => Promise<A>,
  ) {}

  async run(question: Q): Promise<void> {
    const scope = this.ws.scope();
    const ticket = ++this.#ticket;
    const current = () => ticket === this.#ticket && this.ws.isCurrent(scope);
    this.busy = true;
    this.error = null;
    try {
      const answer = await this.ask(scope.profile, question);
      if (!current()) return;
      this.asked = question;
      this.answer = answer;
    } catch (e) {
      if (current()) this.error = toIpcError(e);
    } finally {
      if (current()) this.busy = false;
    }
  }

  reset() {
    this.#ticket++;
    this.asked = null;
    this.answer = null;
    this.busy = false;
    this.error = null;
  }
}

export type WhoCanQuestion = { actions: string[]; resource: string | null };

export class AccessApi extends DomainApi {
  /** The selected profile's snapshot, once read. */
  snapshot = $state<SnapshotInfo | null>(null);
  loading = $state(false);
  error = $state<IpcError | null>(null);
  /** A change was made in the app since the snapshot was read: its answers may be out of date. */
  stale = $state(false);

  /** The simulator's last answer. */
  readonly simulation = new Question<SimulationRequest, Simulation>(this.ws, (profile, request) =>
    this.backend.simulateAccess(profile, request),
  );
  /** "Who can do this?"'s last answer. */
  readonly who = new Question<WhoCanQuestion, WhoCan[]>(this.ws, (profile, q) =>
    this.backend.whoCan(profile, q.actions, q.resource),
  );

  /** Forgets the snapshot's details: another profile is selected. */
  reset() {
    this.snapshot = null;
    this.stale = false;
    this.loading = false;
    this.error = null;
    this.simulation.reset();
    this.who.reset();
  }

  /** Reads the account again: later answers come from this snapshot. */
  async load(): Promise<void> {
    const scope = this.ws.scope();
    this.loading = true;
    this.error = null;
    try {
      const info = await this.backend.loadAccessSnapshot(scope.profile);
      if (this.ws.isCurrent(scope)) {
        this.snapshot = info;
        this.stale = false;
      }
    } catch (e) {
      if (this.ws.isCurrent(scope)) this.error = e as IpcError;
    } finally {
      if (this.ws.isCurrent(scope)) this.loading = false;
    }
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
