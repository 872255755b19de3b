// The workspace: what the window shows and works on. The profiles, the selected one, its
// identity and its account's inventory, and one API per domain (`ws.users`, `ws.groups`,
// …) that binds the selected profile and reloads what a change touched. Components get it
// as `ws`.
//
// Every switch starts a new generation; an answer that belongs to an older one is dropped,
// so nothing of the previous account can ever appear under the new one. The APIs keep that
// rule through `scope()`/`isCurrent()`.
import type { Backend } from './backend';
import type { AppInfo, CallerIdentity, Inventory, IpcError, PrincipalKind, ProfileList } from './bindings';
import { CredentialsApi } from './api/credentials';
import { DeletionApi } from './api/deletion';
import { GroupsApi } from './api/groups';
import { HandoffsApi } from './api/handoffs.svelte';
import { MfaApi } from './api/mfa';
import { PrincipalsApi } from './api/principals';
import { RotationsApi } from './api/rotations.svelte';
import { UsersApi } from './api/users';

/** The profile a change is made with, and the selection it belongs to. */
export type Scope = { readonly profile: string; readonly generation: number };

export class Workspace {
  info = $state<AppInfo | null>(null);
  profiles = $state<ProfileList | null>(null);
  profilesError = $state<IpcError | null>(null);
  selected = $state<string | null>(null);
  identity = $state<CallerIdentity | null>(null);
  connecting = $state(false);
  connectError = $state<IpcError | null>(null);
  inventory = $state<Inventory | null>(null);
  loading = $state(false);
  inventoryError = $state<IpcError | null>(null);

  #generation = 0;
  /** Changes made through the APIs, per principal ("User/ana"): what open pages watch. */
  #revisions = $state<Record<string, number>>({});

  readonly users: UsersApi;
  readonly groups: GroupsApi;
  readonly principals: PrincipalsApi;
  readonly credentials: CredentialsApi;
  readonly mfa: MfaApi;
  readonly deletion: DeletionApi;
  /** Secrets waiting in the keychain to be handed over, across accounts. */
  readonly handoffs: HandoffsApi;
  /** Key rotations in progress (saved, so they survive a restart), across accounts. */
  readonly rotations: RotationsApi;

  constructor(readonly backend: Backend) {
    this.users = new UsersApi(this);
    this.groups = new GroupsApi(this);
    this.principals = new PrincipalsApi(this);
    this.credentials = new CredentialsApi(this);
    this.mfa = new MfaApi(this);
    this.deletion = new DeletionApi(this);
    this.handoffs = new HandoffsApi(this);
    this.rotations = new RotationsApi(this);
  }

  /** The connected profile, for commands. */
  get profile(): string {
    return this.identity?.profile ?? '';
  }

  /** The selected profile and its generation: what a change starting now belongs to. */
  scope(): Scope {
    return { profile: this.profile, generation: this.#generation };
  }

  /** Whether `scope` is still the selection: only then may an answer change what is shown. */
  isCurrent(scope: Scope): boolean {
    return scope.generation === this.#generation;
  }

  /**
   * How many changes were made to a principal through the APIs. A page that shows the
   * principal reads this in the effect that loads it, so it reloads after each change.
   */
  revision(kind: PrincipalKind, name: string): number {
    return this.#revisions[`${kind}/${name}`] ?? 0;
  }

  /** Tells the pages showing a principal that it changed; not when the profile has changed since. */
  touch(scope: Scope, kind: PrincipalKind, name: string) {
    if (!this.isCurrent(scope)) return;
    const key = `${kind}/${name}`;
    this.#revisions[key] = (this.#revisions[key] ?? 0) + 1;
  }

  async start() {
    this.backend.getAppInfo().then(
      (i) => (this.info = i),
      () => {},
    );
    this.handoffs.load();
    this.rotations.load();
    await this.loadProfiles();
    const first = this.profiles?.preselected;
    if (first) await this.select(first);
  }

  async loadProfiles() {
    try {
      this.profiles = await this.backend.listProfiles();
      this.profilesError = null;
    } catch (e) {
      this.profilesError = e as IpcError;
    }
  }

  async select(profile: string) {
    const gen = ++this.#generation;
    this.selected = profile;
    this.identity = null;
    this.inventory = null;
    this.connectError = null;
    this.inventoryError = null;
    this.connecting = true;
    try {
      const identity = await this.backend.connectProfile(profile);
      if (gen !== this.#generation) return;
      this.identity = identity;
    } catch (e) {
      if (gen === this.#generation) this.connectError = e as IpcError;
      return;
    } finally {
      if (gen === this.#generation) this.connecting = false;
    }
    await this.loadInventory(gen);
  }

  async loadInventory(gen = this.#generation) {
    const profile = this.identity?.profile;
    if (!profile) return;
    this.loading = true;
    this.inventoryError = null;
    try {
      const inventory = await this.backend.loadInventory(profile);
      if (gen !== this.#generation) return;
      this.inventory = inventory;
    } catch (e) {
      if (gen === this.#generation) this.inventoryError = e as IpcError;
    } finally {
      if (gen === this.#generation) this.loading = false;
    }
  }
}
