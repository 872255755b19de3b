// A Backend for component tests: answers from a table of handlers typed by the generated
// commands, records every call, and can hold answers back until the test releases them
// (to create races). A command without a handler fails as the Rust side would.
import { createBackend, type CommandName, type Commands } from '../lib/backend';
import {
  type RoleRow,
  type CallerIdentity,
  type Profile,
  type ProfileList,
  commands,
  type AccountPasswordPolicy,
  type AccountSummary,
  type Audit,
  type HandoffList,
  type Inventory,
  type UserRow,
  type Principal,
  type Changed,
  type Done,
  type Entity,
  type How,
} from '../lib/bindings';

type Handler<K extends CommandName> = (
  ...args: Parameters<Commands[K]>
) => Awaited<ReturnType<Commands[K]>> | ReturnType<Commands[K]>;
export type Handlers = { [K in CommandName]?: Handler<K> };

export function fakeBackend(handlers: Handlers) {
  const calls: { cmd: CommandName; args: unknown[] }[] = [];
  const gates: { cmd: CommandName; profile: unknown; release: () => void }[] = [];
  const held = new Set<CommandName>();
  const fake =
    (cmd: CommandName) =>
    async (...args: unknown[]) => {
      calls.push({ cmd, args });
      if (held.has(cmd)) await new Promise<void>((release) => gates.push({ cmd, profile: args[0], release }));
      const h = handlers[cmd] as ((...a: unknown[]) => unknown) | undefined;
      if (!h) throw { code: 'Internal', message: `no fake for ${cmd}` };
      return await h(...args);
    };
  // Every generated command exists on the fake; one without a handler fails clearly.
  const raw = Object.fromEntries((Object.keys(commands) as CommandName[]).map((cmd) => [cmd, fake(cmd)]));
  const backend = createBackend(raw as Partial<Commands>, (onMessage) => ({ onmessage: onMessage }) as never);
  return {
    backend,
    calls,
    /** Answers to `cmd` wait until released. */
    hold: (cmd: CommandName) => held.add(cmd),
    /** Releases the first held answer to `cmd` whose first argument (the profile) is `profile`. */
    release(cmd: CommandName, profile: string): boolean {
      const i = gates.findIndex((g) => g.cmd === cmd && g.profile === profile);
      if (i < 0) return false;
      gates.splice(i, 1)[0].release();
      return true;
    },
  };
}

export function userRow(name: string, over: Partial<UserRow> = {}): UserRow {
  return {
    name,
    path: '/',
    arn: `arn:aws:iam::111111111111:user/${name}`,
    userId: `AIDA${name.toUpperCase()}`,
    created: '2025-01-01T00:00:00Z',
    groups: [],
    attachedPolicies: [],
    inlinePolicies: [],
    tags: [],
    console: { enabled: false, lastUsed: null },
    mfa: false,
    keys: { count: 0, active: 0, oldest: null, lastUsed: null },
    ...over,
  };
}

export function inventory(users: UserRow[], groups: string[] = []): Inventory {
  return {
    users,
    groups: groups.map((g) => ({
      name: g,
      path: '/',
      arn: `arn:aws:iam::111111111111:group/${g}`,
      groupId: g,
      created: '2025-01-01T00:00:00Z',
      members: users.filter((u) => u.groups.includes(g)).map((u) => u.name),
      attachedPolicies: [],
      inlinePolicies: [],
    })),
    calls: 4,
    warnings: [],
  };
}

/** What `listHandoffs` answers: nothing in the keychain, unless told otherwise. */
export function handoffList(over: Partial<HandoffList> = {}): HandoffList {
  return { pending: [], unconfirmed: [], lostKeys: [], damaged: [], ...over };
}

/** What `getAccountSummary` answers: a small account, unless told otherwise. */
export function accountSummary(over: Partial<AccountSummary> = {}): AccountSummary {
  return {
    users: { used: 3, quota: 5000 },
    groups: { used: 1, quota: 300 },
    roles: { used: 12, quota: 1000 },
    policies: { used: 4, quota: 1500 },
    serverCertificates: { used: 0, quota: 20 },
    mfaDevicesInUse: 2,
    mfaDevices: 3,
    policyVersionsInUse: { used: 9, quota: 10000 },
    entries: [],
    ...over,
  };
}

/** What `runAudit` answers: no findings, first audit, unless told otherwise. */
export function audit(over: Partial<Audit> = {}): Audit {
  return {
    findings: [],
    counts: { critical: 0, high: 0, medium: 0, low: 0 },
    trend: null,
    ranAt: '2025-06-01T10:00:00Z',
    reportGenerated: '2025-06-01T09:59:00Z',
    calls: 3,
    warnings: [],
    ...over,
  };
}

/** AWS's default password policy, as `getPasswordPolicy` spells it out. */
export function passwordPolicy(over: Partial<AccountPasswordPolicy> = {}): AccountPasswordPolicy {
  return {
    minimumPasswordLength: 8,
    requireSymbols: true,
    requireNumbers: true,
    requireUppercaseCharacters: true,
    requireLowercaseCharacters: true,
    allowUsersToChangePassword: true,
    maxPasswordAge: null,
    passwordReusePrevention: null,
    hardExpiry: false,
    ...over,
  };
}

/** A profile of the list: static keys, ready to connect, unless told otherwise. */
export function profileEntry(name: string, over: Partial<Profile> = {}): Profile {
  return {
    name,
    region: null,
    kind: 'StaticKeys',
    roleArn: null,
    source: null,
    endpointUrl: null,
    mfaSerial: null,
    state: { kind: 'ready' },
    ...over,
  };
}

/** What `listProfiles` answers for these profiles, with no file problems. */
export function profileList(profiles: Profile[], over: Partial<ProfileList> = {}): ProfileList {
  return {
    profiles,
    preselected: null,
    problems: [],
    configFile: '/home/a/.aws/config',
    credentialsFile: '/home/a/.aws/credentials',
    ...over,
  };
}

/** Who `profile` is, as `connectProfile` answers: long-lived keys of account 111111111111. */
export function callerIdentity(profile: string, over: Partial<CallerIdentity> = {}): CallerIdentity {
  return {
    profile,
    account: '111111111111',
    arn: 'a',
    userId: 'u',
    region: 'r',
    endpointUrl: null,
    expires: null,
    ...over,
  };
}

/** A role of the roles' list: trusting no one, no policies, unless told otherwise. */
export function roleRow(name: string, over: Partial<RoleRow> = {}): RoleRow {
  return {
    name,
    path: '/',
    arn: `arn:aws:iam::111111111111:role/${name}`,
    roleId: `AROA${name.toUpperCase()}`,
    created: '2025-01-01T00:00:00Z',
    description: '',
    maxSessionDuration: 3600,
    trusted: [],
    lastUsed: null,
    serviceLinked: false,
    attachedPolicies: [],
    inlinePolicies: [],
    instanceProfiles: [],
    permissionsBoundary: null,
    tags: [],
    ...over,
  };
}

/** What the window reads whatever it shows (app info, handoffs, rotations, the account's
 * overview), answered with nothing waiting and a quiet account. */
export function windowReads(): Handlers {
  return {
    getAppInfo: () => ({ version: '0', sandbox: false }),
    listHandoffs: () => handoffList(),
    listRotations: () => ({ rotations: [], notice: null }),
    getAccountAlias: () => null,
    getAccountSummary: () => accountSummary(),
    runAudit: () => audit(),
  };
}

/**
 * What a change answers, as the Rust side would: `updated(user('ana'))`. Handlers of changes
 * return one, since the window reloads exactly what it names.
 */
export const user = (name: string): Entity => ({ kind: 'User', name });
export const group = (name: string): Entity => ({ kind: 'Group', name });
export const role = (name: string): Entity => ({ kind: 'Role', name });
export const policy = (arn: string): Entity => ({ kind: 'Policy', arn });
/** A user, group or role, as the Rust side names the principal a change was made to. */
export const entityOf = (p: Principal): Entity => ({ kind: p.kind, name: p.name }) as Entity;
export const keychain: Entity = { kind: 'Keychain' };
export const accessKey = (user: string, id: string): Entity => ({ kind: 'AccessKey', user, id });
export const mfaDevice = (user: string, serial: string): Entity => ({ kind: 'MfaDevice', user, serial });
export const loginProfile = (user: string): Entity => ({ kind: 'LoginProfile', user });
export const instanceProfile = (name: string): Entity => ({ kind: 'InstanceProfile', name });
/** The account's alias or password policy. */
export const accountSettings: Entity = { kind: 'AccountSettings' };
const changes =
  (how: How) =>
  (...entities: Entity[]): Changed =>
    entities.map((entity) => ({ entity, how }));
export const created = changes({ kind: 'Created' });
export const updated = changes({ kind: 'Updated' });
export const deleted = changes({ kind: 'Deleted' });
export const renamed = (entity: Entity, to: string): Changed => [{ entity, how: { kind: 'Renamed', to } }];
/** A change's answer and what it changed. */
export const done = <T>(value: T, changed: Changed = []): Done<T> => ({ value, changed });
