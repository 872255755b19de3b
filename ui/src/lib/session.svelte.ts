// What the window shows: the profiles, the selected one, its identity and its users.
// Every switch starts a new generation; an answer that belongs to an older one is dropped,
// so nothing of the previous account can ever appear under the new one.
import type { Backend } from './backend';
import type { AppInfo, CallerIdentity, IpcError, ProfileList, UserSummary } from './bindings';

export class Session {
  info = $state<AppInfo | null>(null);
  profiles = $state<ProfileList | null>(null);
  profilesError = $state<IpcError | null>(null);
  selected = $state<string | null>(null);
  identity = $state<CallerIdentity | null>(null);
  connecting = $state(false);
  connectError = $state<IpcError | null>(null);
  users = $state<UserSummary[] | null>(null);
  loadingUsers = $state(false);
  usersError = $state<IpcError | null>(null);

  #generation = 0;

  constructor(private backend: Backend) {}

  async start() {
    this.backend.appInfo().then((i) => (this.info = i), () => {});
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
    this.users = null;
    this.connectError = null;
    this.usersError = null;
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
    await this.loadUsers(gen);
  }

  async loadUsers(gen = this.#generation) {
    const profile = this.identity?.profile;
    if (!profile) return;
    this.loadingUsers = true;
    this.usersError = null;
    try {
      const users = await this.backend.listUsers(profile);
      if (gen !== this.#generation) return;
      this.users = users;
    } catch (e) {
      if (gen === this.#generation) this.usersError = e as IpcError;
    } finally {
      if (gen === this.#generation) this.loadingUsers = false;
    }
  }
}
