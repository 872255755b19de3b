// The workspace: what the window shows and works on. The profiles, the selected one, its
// identity and its account's inventory, and one API per domain (`ws.users`, `ws.groups`,
// …) that binds the selected profile and reloads what a change touched. Components get it
// as `ws`.
//
// Every switch starts a new generation; an answer that belongs to an older one is dropped,
// so nothing of the previous account can ever appear under the new one. The APIs keep that
// rule through `scope()`/`isCurrent()`.
//
// A session that expires (AWS's `ExpiredToken`, to any call made with a profile: the
// connection, the inventory, every API's reads and changes) marks its profile as needing new
// credentials until it connects again. When it is the selected profile, nothing of its
// account stays on screen: its identity and inventory are dropped and a new generation
// starts, so no answer still on its way shows up either. The window then says how to sign in
// again, and offers to reconnect.
//
// A profile with an `mfa_serial` and no live session answers `MfaRequired`: the workspace
// records `mfaNeeded` (the profile and its device) and the window asks for a code, which
// `connectWithMfa` sends; the connection then goes on as any other. The same happens when
// the session obtained with a code ends: the next call with the selected profile answers
// `MfaRequired`, its account is dropped as for an expired session, and a code is asked for.
//
// What the window last showed of a profile (its identity, inventory, roles and policies
// lists, alias and audit) is kept in memory, for the last `CACHED_PROFILES` profiles used:
// taken on every switch away and on every load. Selecting such a profile again shows it at
// once, under a new generation, with `staleSince` saying when it was read; it then connects
// and reads the account again, and the fresh answers replace the cached ones. A kept view is
// only ever shown under its own profile. When connecting fails, nothing of the cached
// account stays on screen (as when a session expires) and its kept view is dropped; so it is
// when the profile's session expires, and when a change to it ends after a switch away.
import { getContext, setContext } from 'svelte';
import { toIpcError, type Backend } from './backend';
import { afterPaint, MEASURE, record } from './ui/perf';
import type { AppInfo, CallerIdentity, IpcError, PrincipalKind } from './bindings';
import { PROFILE_COMMANDS } from './bindings';
import { rowsAfter } from './change';
import { Session } from './session.svelte';
import { KeptViews, type KeptView } from './profiles/kept';

export { CACHED_PROFILES } from './profiles/kept';
import { SsoApi } from './profiles/sso';
import { FleetApi } from './fleet/fleet.svelte';
import { AccessApi } from './access/access.svelte';
import { AccountApi } from './account/account.svelte';
import { CredentialsApi } from './credentials/credentials';
import { DeletionApi } from './deletion/deletion';
import { GroupsApi } from './groups/groups';
import { HandoffsApi } from './handoffs/handoffs.svelte';
import { MfaApi } from './credentials/mfa';
import { EditorApi } from './policies/editor';
import { PoliciesApi } from './policies/policies.svelte';
import { PrincipalsApi } from './principals/principals';
import { RolesApi } from './roles/roles.svelte';
import { RotationsApi } from './credentials/rotations.svelte';
import { UsersApi } from './users/users';

/** A profile that needs a code from its MFA device to connect. */
export type MfaNeeded = { readonly profile: string; readonly serial: string | null };

/** How long ago `since` (milliseconds since the epoch) was, in words: "3 minutes ago". */
export function readAgo(since: number, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  if (seconds < 60) return 'just now';
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return unit(hours, 'hour');
  return unit(Math.floor(hours / 24), 'day');
}

/** The commands that act on one profile, named by their first argument (declared in Rust). */
const PROFILE_COMMAND_NAMES: ReadonlySet<string> = new Set(PROFILE_COMMANDS);

/** The MFA device an `MfaRequired` message names, when it names one. */
export function serialIn(message: string): string | null {
  return message.match(/arn:aws[\w-]*:iam::\d{12}:mfa\/[\w+=,.@/-]*[\w+=@/-]/)?.[0] ?? null;
}

export class Workspace extends Session {
  info = $state<AppInfo | null>(null);
  profilesError = $state<IpcError | null>(null);
  connecting = $state(false);
  connectError = $state<IpcError | null>(null);
  loading = $state(false);
  inventoryError = $state<IpcError | null>(null);
  /** Profiles whose session expired: they need new credentials, then to connect again. */
  expired = $state<string[]>([]);
  /** The selected profile needs an MFA code before it can connect. */
  mfaNeeded = $state<MfaNeeded | null>(null);
  /** The code prompt was closed without a code: the window offers to open it again. */
  mfaDismissed = $state(false);
  /**
   * When what is shown was read (milliseconds since the epoch), while it is a kept
   * view being read again; `null` once the answers shown are fresh.
   */
  staleSince = $state<number | null>(null);

  /** The generation in which each profile last connected (not shown: not state). */
  #connectedIn: Record<string, number> = Object.create(null);
  /** What the profiles last shown showed. */
  readonly #kept = new KeptViews();
  /** When the inventory shown was read. */
  #readAt: number | null = null;

  readonly users: UsersApi;
  readonly groups: GroupsApi;
  readonly principals: PrincipalsApi;
  readonly roles: RolesApi;
  readonly policies: PoliciesApi;
  /** The policy editor's offline questions (diagnostics, completion). */
  readonly editor: EditorApi;
  /** Who can do what, offline from the account's authorization details. */
  readonly access: AccessApi;
  /** The account: alias, password policy, summary, credential report, audit. */
  readonly account: AccountApi;
  readonly credentials: CredentialsApi;
  readonly mfa: MfaApi;
  readonly deletion: DeletionApi;
  /** Secrets waiting in the keychain to be handed over, across accounts. */
  readonly handoffs: HandoffsApi;
  /** Key rotations in progress (saved, so they survive a restart), across accounts. */
  readonly rotations: RotationsApi;
  /** Searches and comparisons across profiles. */
  readonly fleet: FleetApi;
  /** Signing SSO profiles in (the device flow). */
  readonly sso: SsoApi;

  constructor(backend: Backend) {
    super(backend);
    this.users = new UsersApi(this);
    this.groups = new GroupsApi(this);
    this.principals = new PrincipalsApi(this);
    this.roles = new RolesApi(this);
    this.policies = new PoliciesApi(this);
    this.editor = new EditorApi(this);
    this.access = new AccessApi(this);
    this.account = new AccountApi(this);
    this.handoffs = new HandoffsApi(this);
    this.credentials = new CredentialsApi(this, this.handoffs);
    this.mfa = new MfaApi(this);
    this.deletion = new DeletionApi(this);
    this.rotations = new RotationsApi(this, this.credentials);
    this.fleet = new FleetApi(this);
    this.sso = new SsoApi(this);
    // The users' and groups' rows of the inventory, after a change.
    this.onChange(rowsAfter(this));
  }

  /** The names of the account's principals of `kind`, as last read; null until read. */
  principalNames(kind: PrincipalKind): string[] | null {
    const rows: Record<PrincipalKind, { name: string }[] | undefined> = {
      User: this.inventory?.users,
      Group: this.inventory?.groups,
      Role: this.roles.list ?? undefined,
    };
    return rows[kind]?.map((r) => r.name) ?? null;
  }

  /** Whether `profile`'s session expired since it last connected. */
  isExpired(profile: string | null): boolean {
    return profile !== null && this.expired.includes(profile);
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

  /** The view kept of `profile`, if any. */
  cached(profile: string): KeptView | undefined {
    return this.#kept.get(profile);
  }

  /** Drops the view kept of `profile`: it is no longer what its account holds. */
  forget(profile: string) {
    this.#kept.forget(profile);
  }

  async select(profile: string) {
    // What the previous selection shows is what it will show when selected again.
    this.#remember();
    const gen = this.nextGeneration();
    const cached = this.#kept.get(profile);
    // A kept view is only ever shown under its own profile.
    const restoring = cached && cached.identity.profile === profile ? cached : undefined;
    this.selected = profile;
    this.#clear();
    if (restoring) this.#restore(restoring);
    else this.forget(profile);
    this.connectError = null;
    this.inventoryError = null;
    this.mfaNeeded = null;
    this.mfaDismissed = false;
    this.connecting = true;
    let connected: boolean;
    try {
      connected = await this.#connect(profile, gen, this.backend.connectProfile(profile));
    } catch (e) {
      const error = toIpcError(e);
      if (gen !== this.generation) return;
      if (restoring) {
        // The cached account is not shown as if it were current, nor kept.
        this.forget(profile);
        this.nextGeneration();
        this.#clear();
      }
      if (error.code === 'MfaRequired') this.#askForCode(profile, error.message);
      else this.connectError = error;
      return;
    } finally {
      if (gen === this.generation) this.connecting = false;
    }
    if (!connected) return;
    if (restoring) await this.#refresh(gen, restoring);
    else await this.loadInventory(gen);
  }

  /** Shows `kept` of the selected profile, until it is read again. */
  #restore(kept: KeptView) {
    // Most recently used: the last to give way.
    this.#kept.keep(kept);
    // The inventory and the lists are replaced, never changed in place: shared, not copied.
    this.identity = structuredClone(kept.identity);
    this.inventory = kept.inventory;
    this.#readAt = kept.readAt;
    this.staleSince = kept.readAt;
    this.roles.restore(kept.roles);
    this.policies.restore(kept.policies);
    this.account.restore(kept.alias, structuredClone(kept.audit), kept.auditStale);
  }

  /**
   * Reads again what `kept` showed, in generation `gen`: the inventory, the lists that
   * had been loaded and the audit. What cannot be read again is no longer shown.
   */
  async #refresh(gen: number, kept: KeptView) {
    const scope = this.scope();
    const started = Date.now();
    const audit = kept.audit ? this.account.runAudit() : null;
    await Promise.all([
      this.loadInventory(gen),
      kept.roles ? this.roles.load(scope) : null,
      kept.policies ? this.policies.load(scope) : null,
    ]);
    if (gen !== this.generation) return;
    // Everything shown now was read since `started`, but what failed: that goes.
    this.#readAt = started;
    if (this.inventoryError) {
      this.inventory = null;
      this.#readAt = null;
    }
    if (this.roles.error) this.roles.list = null;
    if (this.policies.error) this.policies.list = null;
    this.staleSince = null;
    this.#remember();
    await audit;
    if (gen === this.generation && this.account.auditError) this.account.audit = null;
  }

  /**
   * Keeps what the selected profile shows, changes made to it included. While a kept view is
   * being read again, it keeps that view's time: the oldest of what is shown.
   */
  #remember() {
    const { identity, inventory } = this;
    if (!identity || !inventory || identity.profile !== this.selected || this.#readAt === null) return;
    this.#kept.keep({
      identity: $state.snapshot(identity),
      inventory,
      readAt: this.#readAt,
      roles: this.roles.list,
      policies: this.policies.list,
      alias: this.account.alias,
      audit: $state.snapshot(this.account.audit),
      auditStale: this.account.auditStale,
    });
  }

  /**
   * Connects the profile waiting for a code with `code` (six digits), then goes on as
   * `select` does. A wrong or malformed code is thrown, for the prompt to show; nothing
   * happens if another profile was selected meanwhile.
   */
  async connectWithMfa(code: string): Promise<void> {
    const needed = this.mfaNeeded;
    if (!needed || needed.profile !== this.selected) return;
    const gen = this.generation;
    const connected = await this.#connect(
      needed.profile,
      gen,
      this.backend.connectProfileWithMfa(needed.profile, code),
    );
    // The list says the profile has a session now, and until when.
    this.loadProfiles();
    if (!connected) return;
    this.mfaNeeded = null;
    this.mfaDismissed = false;
    await this.loadInventory(gen);
  }

  /** Closes the code prompt: the profile stays unconnected until a code is entered. */
  dismissMfa() {
    if (this.mfaNeeded) this.mfaDismissed = true;
  }

  /** Opens the code prompt again. */
  retryMfa() {
    this.mfaDismissed = false;
  }

  /** Whether the code prompt is to be shown. */
  get promptingMfa(): boolean {
    return this.mfaNeeded !== null && this.mfaNeeded.profile === this.selected && !this.mfaDismissed;
  }

  /** Shows `identity` once `connecting` answers, if `gen` is still the selection; whether it did. */
  async #connect(profile: string, gen: number, connecting: Promise<CallerIdentity>): Promise<boolean> {
    const identity = await connecting;
    // Its credentials work again, whatever is selected by now.
    this.#connectedIn[profile] = gen;
    this.expired = this.expired.filter((p) => p !== profile);
    if (gen !== this.generation) return false;
    this.identity = identity;
    this.account.loadAlias();
    return true;
  }

  /** `profile` needs a code: from its device, as the profile file or the message names it. */
  #askForCode(profile: string, message: string) {
    const serial = this.profiles?.profiles.find((p) => p.name === profile)?.mfaSerial ?? serialIn(message);
    this.mfaNeeded = { profile, serial };
    this.mfaDismissed = false;
  }

  /**
   * Reads the selected account again from AWS (Refresh, Ctrl+R). The Rust side keeps one
   * read of the account that changes made in the app keep current; this forgets it, for
   * what changed elsewhere.
   */
  async reload() {
    await this.forgetRead();
    await this.loadInventory();
  }

  /**
   * Has the Rust side forget its read of the selected account, so that what is asked next
   * (a list's Refresh, who-can's Read again) is read from AWS.
   */
  async forgetRead() {
    const profile = this.identity?.profile;
    if (!profile) return;
    try {
      await this.backend.refreshAccount(profile);
    } catch {
      // Nothing to forget (not connected): the read that follows says what is wrong.
    }
  }

  async loadInventory(gen = this.generation) {
    const profile = this.identity?.profile;
    if (!profile) return;
    this.loading = true;
    this.inventoryError = null;
    try {
      const asked = performance.now();
      const inventory = await this.backend.loadInventory(profile);
      if (gen !== this.generation) return;
      const arrived = performance.now();
      record(MEASURE.inventoryRead, asked, arrived);
      this.inventory = inventory;
      afterPaint(MEASURE.inventoryShown, arrived);
      // While a kept view is read again, the lists beside it may still be the kept ones.
      if (this.staleSince === null) this.#readAt = Date.now();
      this.#remember();
    } catch (e) {
      if (gen === this.generation) this.inventoryError = e as IpcError;
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  /**
   * `backend`, each command of a profile watched for an expired session: an `ExpiredToken`
   * answer marks that profile, and an `MfaRequired` answer to a call other than connecting
   * asks for a new code (the session obtained with one ended). The Rust side declares which
   * commands act on a profile (`PROFILE_COMMANDS`, first argument); the others act on none
   * (the keychain's, the saved rotations') or on many (the fleet's, whose failures are
   * reported per profile in their answers), so they are not watched.
   */
  protected override watch(backend: Backend): Backend {
    const watched: Record<string, unknown> = { ...backend };
    for (const [name, command] of Object.entries(backend)) {
      if (!PROFILE_COMMAND_NAMES.has(name)) continue;
      const connects = name === 'connectProfile' || name === 'connectProfileWithMfa';
      watched[name] = async (...args: unknown[]) => {
        const generation = this.generation;
        try {
          return await (command as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (e) {
          const code = toIpcError(e).code;
          const profile = args[0] as string;
          if (code === 'ExpiredToken') this.#expire(profile, generation);
          // Connecting asks for the code itself; any other call found the MFA session ended.
          if (code === 'MfaRequired' && !connects) this.#sessionEnded(profile, generation, toIpcError(e).message);
          throw e;
        }
      };
    }
    return watched as Backend;
  }

  /** `profile`'s MFA session ended, as a call made in `generation` found: a new code is asked for. */
  #sessionEnded(profile: string, generation: number, message: string) {
    if (!this.#concerns(profile, generation)) return;
    this.forget(profile);
    // The list shows the profile needing a code again.
    this.loadProfiles();
    if (this.#drop(profile, generation)) this.#askForCode(profile, message);
  }

  /** `profile`'s session expired, as a call made in `generation` found. */
  #expire(profile: string, generation: number) {
    if (!this.#concerns(profile, generation)) return;
    this.forget(profile);
    if (!this.expired.includes(profile)) this.expired.push(profile);
    this.#drop(profile, generation);
  }

  /** Whether a session-ended answer to a call made with `profile` in `generation` says something of now. */
  #concerns(profile: string, generation: number): boolean {
    // It has connected since that call was made: the call's answer says nothing of now.
    return (this.#connectedIn[profile] ?? -1) <= generation;
  }

  /**
   * Drops everything of `profile`'s account when its session ended, as a call made in
   * `generation` found; whether it did (only for the selected profile, in its generation).
   */
  #drop(profile: string, generation: number): boolean {
    if (profile !== this.selected || generation !== this.generation) return false;
    // Nothing of the account is shown any longer, and nothing still on its way will be.
    this.nextGeneration();
    this.#clear();
    this.connectError = null;
    this.inventoryError = null;
    return true;
  }

  /** Shows nothing of any account. */
  #clear() {
    this.identity = null;
    this.inventory = null;
    this.#readAt = null;
    this.staleSince = null;
    this.roles.reset();
    this.policies.reset();
    this.access.reset();
    this.account.reset();
    this.connecting = false;
    this.loading = false;
  }
}

/** The key the window provides its workspace under (tests provide theirs the same way). */
export const WORKSPACE = Symbol('workspace');

/** The window's workspace, for a component: provided once by the window, never passed as a prop. */
export function useWorkspace(): Workspace {
  const ws = getContext<Workspace | undefined>(WORKSPACE);
  if (!ws) throw new Error('No workspace: the component is not inside the window (or a test that provides one).');
  return ws;
}

/** Provides `ws` to every component below the calling one. */
export function provideWorkspace(ws: Workspace) {
  setContext(WORKSPACE, ws);
}
