// The workspace: what the window shows and works on. The profiles, the selected one, its
// identity and its account's inventory. Components get it as `ws`. Every switch starts a
// new generation; an answer that belongs to an older one is dropped, so nothing of the
// previous account can ever appear under the new one.
import type { Backend } from './backend';
import type {
  AppInfo,
  CallerIdentity,
  GroupRow,
  Handoff,
  Inventory,
  IpcError,
  PolicySummary,
  ProfileList,
  Rotation,
  UserRow,
} from './bindings';

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
  policies = $state<PolicySummary[] | null>(null);
  /** Secrets waiting in the keychain to be handed over, across accounts. */
  handoffs = $state<Handoff[]>([]);
  handoffsError = $state<IpcError | null>(null);
  /** Key rotations in progress (saved, so they survive a restart). */
  rotations = $state<Rotation[]>([]);

  #generation = 0;

  constructor(readonly backend: Backend) {}

  /** The connected profile, for commands. */
  get profile(): string {
    return this.identity?.profile ?? '';
  }

  async start() {
    this.backend.getAppInfo().then(
      (i) => (this.info = i),
      () => {},
    );
    this.loadHandoffs();
    this.loadRotations();
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
    this.policies = null;
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

  async loadHandoffs() {
    try {
      this.handoffs = await this.backend.listHandoffs();
      this.handoffsError = null;
    } catch (e) {
      this.handoffsError = e as IpcError;
    }
  }

  async loadRotations() {
    this.rotations = await this.backend.listRotations().catch(() => []);
  }

  async loadPolicies(): Promise<PolicySummary[]> {
    if (this.policies) return this.policies;
    const gen = this.#generation;
    const list = await this.backend.listPolicies(this.profile);
    if (gen === this.#generation) this.policies = list;
    return list;
  }

  /** Reloads one user's row after a change to it (or drops it when it is gone). */
  async refreshUser(name: string, previousName = name) {
    const gen = this.#generation;
    const row = await this.backend.getUserRow(this.profile, name);
    if (gen !== this.#generation || !this.inventory) return;
    const users = this.inventory.users;
    const i = users.findIndex((u) => u.name === previousName);
    if (row && i >= 0 && users[i].console?.lastUsed && row.console) {
      // The last sign-in comes only from the credential report: keep what it said.
      row.console.lastUsed = users[i].console!.lastUsed;
    }
    const next: UserRow[] = users.filter((u) => u.name !== previousName && u.name !== name);
    if (row) next.push(row);
    next.sort((a, b) => a.name.localeCompare(b.name));
    this.inventory.users = next;
  }

  async refreshGroup(name: string, previousName = name) {
    const gen = this.#generation;
    const row = await this.backend.getGroupRow(this.profile, name);
    if (gen !== this.#generation || !this.inventory) return;
    const next: GroupRow[] = this.inventory.groups.filter((g) => g.name !== previousName && g.name !== name);
    if (row) next.push(row);
    next.sort((a, b) => a.name.localeCompare(b.name));
    this.inventory.groups = next;
  }

  /** After membership changes, both sides' rows. */
  async refreshMembership(group: string, users: string[]) {
    await Promise.all([this.refreshGroup(group), ...users.map((u) => this.refreshUser(u))]);
  }
}
