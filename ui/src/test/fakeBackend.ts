// A Backend for component tests: answers from a table of handlers, records every call,
// and can hold answers back until the test releases them (to create races).
import type { Backend } from '../lib/backend';
import type { Commands, Inventory, UserRow } from '../lib/bindings';

type Handlers = {
  [K in keyof Commands]?: (args: Commands[K]['args']) => Commands[K]['result'] | Promise<Commands[K]['result']>;
};

export function fakeBackend(handlers: Handlers) {
  const calls: { cmd: string; args: unknown }[] = [];
  const gates: { cmd: string; key: string; release: () => void }[] = [];
  const held = new Set<string>();
  const backend: Backend = {
    async call(cmd, args) {
      calls.push({ cmd, args });
      const key = (args as { profile?: string }).profile ?? '';
      if (held.has(cmd)) await new Promise<void>((release) => gates.push({ cmd, key, release }));
      const h = handlers[cmd] as ((a: unknown) => unknown) | undefined;
      if (!h) throw { code: 'Internal', message: `no fake for ${cmd}` };
      return (await h(args)) as never;
    },
    channel(onMessage) {
      return { onmessage: onMessage } as never;
    },
  };
  return {
    backend,
    calls,
    /** Answers to `cmd` wait until released. */
    hold: (cmd: keyof Commands) => held.add(cmd),
    /** Releases the first held answer to `cmd` for `profile`. Returns false if none yet. */
    release(cmd: keyof Commands, profile: string): boolean {
      const i = gates.findIndex((g) => g.cmd === cmd && g.key === profile);
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
