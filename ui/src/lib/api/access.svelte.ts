// Who can do what, answered offline by the core from the profile's snapshot of the account:
// a principal's effective permissions, the simulator, "who can do this?".
//
// CONTRACT STUB: the snapshot's state and the reads are here; the screens are being written.
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
import { DomainApi } from './change';

export class AccessApi extends DomainApi {
  /** The selected profile's snapshot, once read. */
  snapshot = $state<SnapshotInfo | null>(null);
  loading = $state(false);
  error = $state<IpcError | null>(null);

  /** Forgets the snapshot's details: another profile is selected. */
  reset() {
    this.snapshot = null;
    this.loading = false;
    this.error = null;
  }

  /** Reads the account again: later answers come from this snapshot. */
  async load(): Promise<void> {
    const scope = this.ws.scope();
    this.loading = true;
    this.error = null;
    try {
      const info = await this.backend.loadAccessSnapshot(scope.profile);
      if (this.ws.isCurrent(scope)) this.snapshot = info;
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
