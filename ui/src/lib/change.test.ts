// The domain APIs: what each change reloads, and that an answer from a profile no longer
// selected changes nothing of the one selected now.
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../test/render';
import { describe, expect, it } from 'vitest';
import type { AccessKeyInfo, GroupRow, Handoff, HandoffList, LostKey, UserDetail, UserRow } from './bindings';
import { Workspace } from './workspace.svelte';
import UserPanel from './users/UserPanel.svelte';
import {
  accessKey,
  callerIdentity,
  created,
  deleted,
  done,
  entityOf,
  fakeBackend,
  group,
  inventory,
  keychain,
  renamed,
  updated,
  user,
  userRow,
  handoffList,
  profileEntry,
  profileList,
  type Handlers,
} from '../test/fakeBackend';

const IDENTITY = callerIdentity('prod');

function workspace(handlers: Handlers, users: UserRow[], groups: string[] = []) {
  const fake = fakeBackend(handlers);
  const ws = new Workspace(fake.backend);
  ws.identity = IDENTITY;
  ws.inventory = inventory(users, groups);
  return { fake, ws };
}

function detail(row: UserRow): UserDetail {
  return {
    ...row,
    loginProfile: null,
    accessKeys: [],
    mfaDevices: [],
    viaGroups: [],
    permissionsBoundary: null,
  };
}

function groupRow(name: string, members: string[]): GroupRow {
  return {
    name,
    path: '/',
    arn: `arn:${name}`,
    groupId: name,
    created: '',
    members,
    attachedPolicies: [],
    inlinePolicies: [],
  };
}

const count = (fake: ReturnType<typeof fakeBackend>, cmd: string) => fake.calls.filter((c) => c.cmd === cmd).length;
const rowOf = (ws: Workspace, name: string) => ws.inventory?.users.find((u) => u.name === name);

describe('the principals API', () => {
  it('moves a user from its page: the table row and the open page both show the new path', async () => {
    let path = '/';
    const { fake, ws } = workspace(
      {
        getUser: (_p, name) => detail(userRow(name, { path })),
        getUserRow: (_p, name) => userRow(name, { path }),
        renamePrincipal: (_p, principal, _name, newPath) => {
          path = newPath ?? path;
          // Moved, not renamed: the same user, updated.
          return updated(entityOf(principal));
        },
      },
      [userRow('ana'), userRow('bea')],
    );
    render(UserPanel, {
      ws,
      name: 'ana',
      onclose: () => {},
      ondelete: () => {},
      onrenamed: () => {},
      onhandoff: () => {},
    });
    await waitFor(() => expect(screen.getByTestId('rename-user')).toHaveProperty('disabled', false));
    expect(count(fake, 'getUser')).toBe(1);

    await fireEvent.click(screen.getByTestId('rename-user'));
    await fireEvent.input(screen.getByTestId('rename-path'), { target: { value: '/moved/' } });
    await fireEvent.click(screen.getByTestId('rename-save'));

    await waitFor(() => expect(rowOf(ws, 'ana')?.path).toBe('/moved/'));
    expect(fake.calls.find((c) => c.cmd === 'renamePrincipal')?.args).toEqual([
      'prod',
      { kind: 'User', name: 'ana' },
      null,
      '/moved/',
    ]);
    // The page read the user again, without being told to.
    await waitFor(() => expect(count(fake, 'getUser')).toBe(2));
    await waitFor(() => expect(document.querySelector('.facts dd')?.textContent).toBe('/moved/'));
  });

  it("renames a user: its row moves to the new name, and its groups' rows are read again", async () => {
    const { fake, ws } = workspace(
      {
        // Renamed, and its pending handoffs filed under the new name in the keychain.
        renamePrincipal: (_p, principal, name) => [...renamed(entityOf(principal), name!), ...updated(keychain)],
        getUserRow: (_p, name) => userRow(name, { groups: ['developers'] }),
        getGroupRow: (_p, name) => groupRow(name, ['anna']),
        listHandoffs: () => handoffList(),
      },
      [userRow('ana', { groups: ['developers'] }), userRow('bea')],
      ['developers'],
    );
    await ws.principals.rename({ kind: 'User', name: 'ana' }, 'anna', null);
    expect(ws.inventory!.users.map((u) => u.name)).toEqual(['anna', 'bea']);
    expect(ws.inventory!.groups[0].members).toEqual(['anna']);
    expect(fake.calls.filter((c) => c.cmd === 'getUserRow').map((c) => c.args)).toEqual([['prod', 'anna']]);
    // A page open on the new name reloads; the old name is gone, nothing reloads it.
    expect(ws.revision('User', 'anna')).toBe(1);
    expect(ws.revision('User', 'ana')).toBe(0);
    expect(ws.revision('Group', 'developers')).toBe(1);
  });

  it('tags a user: only its row is read again, and its page is told to reload', async () => {
    const { fake, ws } = workspace(
      {
        tagPrincipal: (_p, principal) => updated(entityOf(principal)),
        getUserRow: (_p, name) => userRow(name, { tags: [{ key: 'team', value: 'qa' }] }),
      },
      [userRow('ana'), userRow('bea')],
    );
    const before = ws.revision('User', 'ana');
    await ws.principals.tag({ kind: 'User', name: 'ana' }, [], [{ key: 'team', value: 'qa' }]);
    expect(rowOf(ws, 'ana')?.tags).toEqual([{ key: 'team', value: 'qa' }]);
    expect(ws.revision('User', 'ana')).toBe(before + 1);
    expect(ws.revision('User', 'bea')).toBe(0);
    expect(count(fake, 'loadInventory')).toBe(0);
  });
});

describe('the groups API', () => {
  it('reloads both sides of a membership change even when it failed part way', async () => {
    const { fake, ws } = workspace(
      {
        // ana was added before bea's failed: both sides of ana's membership changed.
        setGroupMembers: () => {
          throw {
            code: 'LimitExceeded',
            message: 'bea is in 10 groups already.',
            changed: updated(group('developers'), user('ana')),
          };
        },
        getUserRow: (_p, name) => userRow(name, { groups: name === 'ana' ? ['developers'] : [] }),
        getGroupRow: (_p, name) => groupRow(name, ['ana']),
      },
      [userRow('ana'), userRow('bea')],
      ['developers'],
    );
    await expect(ws.groups.setMembers('developers', ['ana', 'bea'], true)).rejects.toEqual({
      code: 'LimitExceeded',
      message: 'bea is in 10 groups already.',
      changed: updated(group('developers'), user('ana')),
    });
    expect(rowOf(ws, 'ana')?.groups).toEqual(['developers']);
    expect(ws.inventory!.groups[0].members).toEqual(['ana']);
    // Only what the failure says was changed: bea, who was not added, is not read again.
    expect(fake.calls.filter((c) => c.cmd === 'getUserRow').map((c) => c.args)).toEqual([['prod', 'ana']]);
    expect(ws.revision('Group', 'developers')).toBe(1);
  });
});

describe('the deletion API', () => {
  it("drops a deleted user's row without reloading its page, and reloads its groups' rows", async () => {
    const { ws } = workspace(
      {
        runDeletion: (_p, targets) =>
          targets.map((target) => ({
            target,
            done: ['x'],
            failed: null,
            error: null,
            remaining: [],
            changed: [
              { entity: { kind: 'Group', name: 'developers' }, how: { kind: 'Updated' } },
              { entity: { kind: 'User', name: 'ana' }, how: { kind: 'Deleted' } },
            ],
          })),
        getUserRow: () => null,
        getGroupRow: (_p, name) => groupRow(name, []),
      },
      [userRow('ana', { groups: ['developers'] }), userRow('bea')],
      ['developers'],
    );
    await ws.deletion.run([{ kind: 'User', name: 'ana' }], () => {});
    expect(ws.inventory!.users.map((u) => u.name)).toEqual(['bea']);
    expect(ws.inventory!.groups[0].members).toEqual([]);
    expect(ws.revision('User', 'ana')).toBe(0);
    expect(ws.revision('Group', 'developers')).toBe(1);
  });
});

describe('the credentials API', () => {
  it("lists a new key's handoff and reloads the user's row", async () => {
    const handoff = {
      account: '111111111111',
      user: 'ana',
      kind: 'SecretAccessKey' as const,
      keyId: 'AKIA1',
      signInUrl: '',
      created: '',
      resetRequired: false,
    };
    const { ws } = workspace(
      {
        createAccessKey: (_p, u) =>
          done(handoff, [...updated(user(u), keychain), ...created(accessKey(u, handoff.keyId))]),
        listHandoffs: () => handoffList({ pending: [handoff] }),
        getUserRow: (_p, name) => userRow(name, { keys: { count: 1, active: 1, oldest: null, lastUsed: null } }),
      },
      [userRow('ana')],
    );
    expect(await ws.credentials.createAccessKey('ana')).toEqual(handoff);
    expect(ws.handoffs.pending).toEqual([handoff]);
    expect(rowOf(ws, 'ana')?.keys?.count).toBe(1);
  });
});

describe('deleting an access key with its pending handoff', () => {
  const handoff: Handoff = {
    account: '111111111111',
    user: 'ana',
    kind: 'SecretAccessKey',
    keyId: 'AKIA1',
    signInUrl: '',
    created: '',
    resetRequired: false,
  };

  it('says the key was deleted when only the discarding failed', async () => {
    const { fake, ws } = workspace(
      {
        deleteAccessKey: (_p, u, keyId) => [...deleted(accessKey(u, keyId)), ...updated(user(u))],
        getUserRow: (_p, name) => userRow(name),
        completeHandoff: () => {
          throw { code: 'Keychain', message: 'The keychain is locked.' };
        },
        listHandoffs: () => handoffList({ pending: [handoff] }),
      },
      [userRow('ana')],
    );
    await expect(ws.credentials.deleteAccessKey('ana', 'AKIA1', [handoff])).rejects.toEqual({
      code: 'Keychain',
      message: 'AKIA1 was deleted, but its pending handoff could not be discarded: The keychain is locked.',
    });
    expect(count(fake, 'deleteAccessKey')).toBe(1);
    expect(ws.handoffs.pending).toEqual([handoff]);
  });
});

describe('a change answered after a profile switch', () => {
  const ACCOUNTS: Record<string, UserRow[]> = {
    prod: [userRow('alice', { path: '/prod/' })],
    staging: [userRow('alice', { path: '/staging/' }), userRow('bob')],
  };
  const switching = (extra: Handlers) =>
    fakeBackend({
      connectProfile: (profile) => ({ ...IDENTITY, profile }),
      loadInventory: (profile) => inventory(ACCOUNTS[profile], ['developers']),
      getUserRow: (profile, name) => userRow(name, { path: `/${profile}/`, groups: ['developers'] }),
      getGroupRow: (_p, name) => groupRow(name, ['alice']),
      ...extra,
    });

  it('reloads nothing: the new profile keeps its own rows and pages', async () => {
    const fake = switching({
      setGroupMembers: (_p, g, users) => updated(group(g), ...users.map(user)),
    });
    const ws = new Workspace(fake.backend);
    ws.profiles = profileList(['prod', 'staging'].map((name) => profileEntry(name, { kind: 'Sso' })));
    await ws.select('prod');
    fake.hold('setGroupMembers');
    const change = ws.groups.setMembers('developers', ['alice'], true);
    await ws.select('staging');
    const staging = JSON.parse(JSON.stringify(ws.inventory));
    expect(fake.release('setGroupMembers', 'prod')).toBe(true);
    await change;
    expect(count(fake, 'getUserRow') + count(fake, 'getGroupRow')).toBe(0);
    expect(JSON.parse(JSON.stringify(ws.inventory))).toEqual(staging);
    expect(ws.revision('User', 'alice')).toBe(0);
    expect(ws.revision('Group', 'developers')).toBe(0);
  });

  it('drops a row read for the previous profile, even for a user of the same name', async () => {
    const fake = switching({ tagPrincipal: (_p, principal) => updated(entityOf(principal)) });
    const ws = new Workspace(fake.backend);
    await ws.select('prod');
    fake.hold('getUserRow');
    const change = ws.principals.tag({ kind: 'User', name: 'alice' }, [], [{ key: 'k', value: 'v' }]);
    await waitFor(() => expect(count(fake, 'getUserRow')).toBe(1));
    await ws.select('staging');
    expect(fake.release('getUserRow', 'prod')).toBe(true);
    await change;
    expect(rowOf(ws, 'alice')?.path).toBe('/staging/');
    expect(ws.revision('User', 'alice')).toBe(0);
  });
});

describe('the rotations API', () => {
  it('keeps the error when the saved rotations cannot be read, and the user page says so', async () => {
    const { ws } = workspace(
      {
        listRotations: () => {
          throw { code: 'Keychain', message: 'The rotations file cannot be read.' };
        },
        getUser: (_p, name) => detail(userRow(name)),
      },
      [userRow('ana')],
    );
    await ws.rotations.load();
    expect(ws.rotations.error?.code).toBe('Keychain');
    render(UserPanel, {
      ws,
      name: 'ana',
      onclose: () => {},
      ondelete: () => {},
      onrenamed: () => {},
      onhandoff: () => {},
    });
    expect(
      await screen.findByText('Key rotations in progress could not be read: The rotations file cannot be read.'),
    ).toBeTruthy();
  });
});

describe('an expired session', () => {
  const EXPIRED = { code: 'ExpiredToken' as const, message: 'The security token included in the request is expired' };
  const accounts = (extra: Handlers) =>
    fakeBackend({
      connectProfile: (profile) => ({ ...IDENTITY, profile }),
      loadInventory: (profile) => inventory(ACCOUNTS[profile]),
      ...extra,
    });
  const ACCOUNTS: Record<string, UserRow[]> = { prod: [userRow('alice')], staging: [userRow('bob')] };

  it('drops the account, and an answer still on its way for it is not shown', async () => {
    const fake = accounts({
      getUser: () => {
        throw EXPIRED;
      },
    });
    const ws = new Workspace(fake.backend);
    fake.hold('loadInventory');
    const selecting = ws.select('prod');
    await waitFor(() => expect(count(fake, 'loadInventory')).toBe(1));
    await expect(ws.users.get('alice')).rejects.toEqual(EXPIRED);
    expect(ws.expired).toEqual(['prod']);
    expect(ws.identity).toBeNull();
    expect(ws.loading).toBe(false);
    expect(fake.release('loadInventory', 'prod')).toBe(true);
    await selecting;
    expect(ws.inventory).toBeNull();
    expect(ws.inventoryError).toBeNull();
  });

  it('marks a profile no longer selected, and leaves the selected one as it is', async () => {
    const fake = accounts({
      setGroupMembers: () => {
        throw EXPIRED;
      },
    });
    const ws = new Workspace(fake.backend);
    ws.profiles = profileList(['prod', 'staging'].map((name) => profileEntry(name, { kind: 'Sso' })));
    await ws.select('prod');
    fake.hold('setGroupMembers');
    const change = ws.groups.setMembers('developers', ['alice'], true);
    await ws.select('staging');
    expect(fake.release('setGroupMembers', 'prod')).toBe(true);
    await expect(change).rejects.toEqual(EXPIRED);
    expect(ws.expired).toEqual(['prod']);
    expect(ws.identity?.profile).toBe('staging');
    expect(ws.inventory?.users.map((u) => u.name)).toEqual(['bob']);
  });

  it('is not believed from a call made before the profile connected again', async () => {
    const fake = accounts({
      getUser: () => {
        throw EXPIRED;
      },
    });
    const ws = new Workspace(fake.backend);
    await ws.select('prod');
    fake.hold('getUser');
    const read = ws.users.get('alice');
    await ws.select('prod');
    expect(fake.release('getUser', 'prod')).toBe(true);
    await expect(read).rejects.toEqual(EXPIRED);
    expect(ws.expired).toEqual([]);
    expect(ws.identity?.profile).toBe('prod');
    expect(ws.inventory?.users.map((u) => u.name)).toEqual(['alice']);
  });
});

describe('the saved rotations', () => {
  it('keep the notice that the file was set aside, which the Rust side says only once', async () => {
    let notice: string | null = 'The rotations file was damaged and set aside as rotations.json.bad.';
    const { ws } = workspace(
      {
        listRotations: () => {
          const list = { rotations: [], notice };
          notice = null;
          return list;
        },
      },
      [userRow('ana')],
    );
    await ws.rotations.load();
    await ws.rotations.load();
    expect(ws.rotations.notice).toBe('The rotations file was damaged and set aside as rotations.json.bad.');
    expect(ws.rotations.list).toEqual([]);
  });
});

describe('the handoffs API', () => {
  const handoff = (user: string, over: Partial<Handoff> = {}): Handoff => ({
    account: '111111111111',
    user,
    kind: 'SecretAccessKey',
    keyId: `AKIA${user.toUpperCase()}`,
    signInUrl: '',
    created: '2025-05-01T10:00:00Z',
    resetRequired: false,
    ...over,
  });
  const lost: LostKey = {
    account: '111111111111',
    user: 'ana',
    since: '2025-05-01T10:00:00Z',
    entry: '111111111111/ana/key-intent/1',
    advice: 'An access key was created for ana at about 2025-05-01T10:00:00Z and its secret was lost.',
  };
  const key = (id: string, created: string): AccessKeyInfo => ({
    id,
    status: 'Active',
    created,
    lastUsed: null,
    lastUsedService: null,
    lastUsedRegion: null,
  });

  it('keeps the four lists, and announces what needs a look once, not on every listing', async () => {
    const damaged = { entry: '111111111111/ana/secret-access-key/AKIABAD', reason: 'it has no handoff details' };
    let list = handoffList({
      pending: [handoff('ana')],
      unconfirmed: [{ handoff: handoff('bea', { kind: 'ConsolePassword', keyId: 'staged-1' }), advice: 'Staged' }],
      lostKeys: [lost],
      damaged: [damaged],
    });
    const { ws } = workspace({ listHandoffs: () => list }, [userRow('ana')]);
    await ws.handoffs.load();
    expect(ws.handoffs.pending.map((h) => h.user)).toEqual(['ana']);
    expect(ws.handoffs.news.unconfirmed.length + ws.handoffs.news.lostKeys.length).toBe(2);
    expect(ws.handoffs.news.damaged).toEqual([damaged]);
    ws.handoffs.acknowledge();
    await ws.handoffs.load();
    expect(ws.handoffs.news).toEqual({ unconfirmed: [], lostKeys: [], damaged: [] });
    // Still listed: they are only not announced again.
    expect(ws.handoffs.damaged).toEqual([damaged]);
    // Something new is.
    const other = { entry: '111111111111/cy/secret-access-key/AKIAX', reason: 'unknown kind' };
    list = { ...list, damaged: [damaged, other] };
    await ws.handoffs.load();
    expect(ws.handoffs.news.damaged).toEqual([other]);
  });

  it('keeps the last listing started when answers cross', async () => {
    const answers: ((list: HandoffList) => void)[] = [];
    const { ws } = workspace({ listHandoffs: () => new Promise((answer) => answers.push(answer)) }, []);
    const first = ws.handoffs.load();
    const second = ws.handoffs.load();
    await waitFor(() => expect(answers.length).toBe(2));
    answers[1](handoffList({ pending: [handoff('new')] }));
    await second;
    answers[0](handoffList({ pending: [handoff('old')] }));
    await first;
    expect(ws.handoffs.pending.map((h) => h.user)).toEqual(['new']);
  });

  it("sends only a handoff's id to the Rust side", async () => {
    const { fake, ws } = workspace({ revealSecret: () => 's3cret' }, []);
    expect(await ws.handoffs.reveal(handoff('ana'))).toBe('s3cret');
    expect(fake.calls.find((c) => c.cmd === 'revealSecret')?.args).toEqual([
      { account: '111111111111', user: 'ana', kind: 'SecretAccessKey', keyId: 'AKIAANA' },
    ]);
  });

  it("lists a lost key's candidates in its account: the keys created at or after `since`", async () => {
    const keys = [
      key('AKIABEFORE', '2025-05-01T09:59:59Z'),
      key('AKIAAT', '2025-05-01T10:00:00Z'),
      key('AKIAAFTER', '2025-05-01T12:00:00+02:00'),
    ];
    const { ws } = workspace({ getUser: (_p, name) => ({ ...detail(userRow(name)), accessKeys: keys }) }, [
      userRow('ana'),
    ]);
    expect((await ws.handoffs.lostKeyCandidates(lost)).map((k) => k.id)).toEqual(['AKIAAT', 'AKIAAFTER']);
    await expect(ws.handoffs.lostKeyCandidates({ ...lost, account: '222222222222' })).rejects.toMatchObject({
      code: 'NotConnected',
      message: 'Select a profile of account 222222222222 to deal with this key.',
    });
  });

  it('deletes the chosen keys, then dismisses the note; a failure keeps the note', async () => {
    let refuse = 'AKIA2';
    const { fake, ws } = workspace(
      {
        deleteAccessKey: (_p, u, keyId) => {
          if (keyId === refuse) throw { code: 'Throttling', message: 'Rate exceeded' };
          return [...deleted(accessKey(u, keyId)), ...updated(user(u))];
        },
        dismissLostKey: () => null,
        listHandoffs: () => handoffList(),
        getUserRow: (_p, name) => userRow(name),
      },
      [userRow('ana')],
    );
    await expect(ws.handoffs.resolveLostKey(lost, ['AKIA1', 'AKIA2'])).rejects.toMatchObject({ code: 'Throttling' });
    expect(count(fake, 'dismissLostKey')).toBe(0);
    refuse = '';
    await ws.handoffs.resolveLostKey(lost, ['AKIA2']);
    expect(fake.calls.filter((c) => c.cmd === 'deleteAccessKey').map((c) => c.args)).toEqual([
      ['prod', 'ana', 'AKIA1'],
      ['prod', 'ana', 'AKIA2'],
      ['prod', 'ana', 'AKIA2'],
    ]);
    expect(fake.calls.find((c) => c.cmd === 'dismissLostKey')?.args).toEqual([lost.entry]);
  });
});
