// The per-profile cache: a profile selected again shows what was last shown of it at once,
// says how old it is, and is read again in the background; nothing of one account ever shows
// under another, and nothing cached stays on screen when the account cannot be reached.
import { screen, fireEvent, waitFor } from '@testing-library/svelte';
import { render } from '../test/render';
import { describe, expect, it } from 'vitest';
import App from '../App.svelte';
import type { CallerIdentity, IpcError, ProfileList } from './bindings';
import { CACHED_PROFILES, Workspace, readAgo } from './workspace.svelte';
import {
  roleRow,
  profileEntry,
  profileList,
  accountSummary,
  audit,
  fakeBackend,
  handoffList,
  inventory,
  userRow,
  created,
  user,
} from '../test/fakeBackend';

const EXPIRED: IpcError = { code: 'ExpiredToken', message: 'The security token included in the request is expired' };
const DOWN: IpcError = { code: 'EndpointUnreachable', message: 'The endpoint could not be reached' };

const ACCOUNTS: Record<string, string> = { prod: '111111111111', staging: '222222222222' };

function profiles(names: string[]): ProfileList {
  return profileList(names.map((n) => profileEntry(n)));
}

function identity(name: string): CallerIdentity {
  const account = ACCOUNTS[name] ?? '333333333333';
  return {
    profile: name,
    account,
    arn: `arn:aws:iam::${account}:user/admin`,
    userId: 'AIDA',
    region: 'us-east-1',
    endpointUrl: null,
    expires: null,
  };
}

/** Accounts whose users the test changes; connecting fails with `state.connectFails` while set. */
function accounts(names = ['prod', 'staging']) {
  const users: Record<string, string[]> = { prod: ['alice', 'bob'], staging: ['qa.helen'] };
  const roles: Record<string, string[]> = { prod: ['admin'], staging: ['qa'] };
  const state: { connectFails: IpcError | null } = { connectFails: null };
  const fake = fakeBackend({
    getAppInfo: () => ({ version: '0', sandbox: false }),
    listHandoffs: () => handoffList(),
    listRotations: () => ({ rotations: [], notice: null }),
    listProfiles: () => profiles(names),
    getAccountAlias: (p) => (p === 'prod' ? 'acme-prod' : null),
    getAccountSummary: () => accountSummary(),
    runAudit: () => audit(),
    connectProfile: (p) => {
      if (state.connectFails) throw state.connectFails;
      return identity(p);
    },
    listRoles: (p) => (roles[p] ?? []).map((n) => roleRow(n)),
    loadInventory: (p) => inventory((users[p] ?? []).map((n) => userRow(n))),
    createUser: (p, spec) => {
      users[p] = [...(users[p] ?? []), spec.name ?? ''];
      return created(user(spec.name ?? ''));
    },
    getUserRow: (p, name) => ((users[p] ?? []).includes(name) ? userRow(name) : null),
    getUser: () => {
      throw EXPIRED;
    },
  });
  return { fake, users, roles, state };
}

const usersTab = async () => fireEvent.click(await screen.findByTestId('tab-users'));
const choose = async (name: string) =>
  fireEvent.click(await screen.findByRole('button', { name: new RegExp(`^${name}`) }));
const shownUsers = () =>
  Array.from(document.querySelectorAll('tbody tr[data-user]')).map((r) => r.getAttribute('data-user'));
const names = (ws: Workspace) => ws.inventory?.users.map((u) => u.name) ?? null;
const settle = () => new Promise((r) => setTimeout(r, 20));

/** prod, then staging, each loaded, with the users tab open. */
async function prodThenStaging() {
  await choose('prod');
  await usersTab();
  await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
  await choose('staging');
  await usersTab();
  await waitFor(() => expect(shownUsers()).toEqual(['qa.helen']));
}

/** prod's snapshot shown while it connects again, and that connection failing with `error`. */
async function reconnectProdFailing(error: IpcError) {
  const { fake, state } = accounts();
  render(App, { backend: fake.backend });
  await prodThenStaging();

  fake.hold('connectProfile');
  await choose('prod');
  await usersTab();
  expect(shownUsers()).toEqual(['alice', 'bob']);
  state.connectFails = error;
  await waitFor(() => expect(fake.release('connectProfile', 'prod')).toBe(true));
  return { fake, state };
}

describe('a profile selected again', () => {
  it("shows its users at once, before it has connected, with the snapshot's age; then the fresh list", async () => {
    const { fake, users } = accounts();
    render(App, { backend: fake.backend });
    await prodThenStaging();
    expect(screen.queryByTestId('cached-banner')).toBeNull();

    users.prod = ['alice', 'bob', 'carol'];
    fake.hold('connectProfile');
    await choose('prod');
    await usersTab();
    // prod has not answered yet: what was read of it is shown, under its own name.
    expect(shownUsers()).toEqual(['alice', 'bob']);
    expect(screen.getByTestId('identity-account').textContent).toBe('111111111111');
    expect(screen.getByTestId('identity-profile').textContent).toBe('prod');
    expect(screen.getByTestId('cached-banner').textContent?.trim()).toBe(
      'Showing what was read just now — refreshing…',
    );
    expect(document.body.textContent).not.toContain('qa.helen');

    await waitFor(() => expect(fake.release('connectProfile', 'prod')).toBe(true));
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob', 'carol']));
    expect(screen.queryByTestId('cached-banner')).toBeNull();
  });

  it('never shows the connection of the profile left, when it answers after switching back', async () => {
    const { fake } = accounts();
    render(App, { backend: fake.backend });
    await prodThenStaging();

    fake.hold('connectProfile');
    await choose('staging');
    await choose('prod');
    await usersTab();
    expect(shownUsers()).toEqual(['alice', 'bob']);
    // staging answers after the switch back to prod.
    await waitFor(() => expect(fake.release('connectProfile', 'staging')).toBe(true));
    await settle();
    expect(screen.getByTestId('identity-account').textContent).toBe('111111111111');
    expect(screen.getByTestId('identity-profile').textContent).toBe('prod');
    expect(document.body.textContent).not.toContain('qa.helen');

    await waitFor(() => expect(fake.release('connectProfile', 'prod')).toBe(true));
    await waitFor(() => expect(screen.queryByTestId('cached-banner')).toBeNull());
    expect(shownUsers()).toEqual(['alice', 'bob']);
    expect(screen.getByTestId('identity-account').textContent).toBe('111111111111');
    // staging's inventory was never asked for again: its connection came too late.
    expect(fake.calls.filter((c) => c.cmd === 'loadInventory' && c.args[0] === 'staging').length).toBe(1);
  });

  it('never shows the inventory of the profile left, when it answers after switching back', async () => {
    const { fake } = accounts();
    render(App, { backend: fake.backend });
    await prodThenStaging();

    fake.hold('loadInventory');
    await choose('staging');
    await waitFor(() => expect(fake.calls.filter((c) => c.cmd === 'loadInventory').length).toBe(3));
    await choose('prod');
    await usersTab();
    expect(shownUsers()).toEqual(['alice', 'bob']);
    await waitFor(() => expect(fake.calls.filter((c) => c.cmd === 'loadInventory').length).toBe(4));
    // staging's answer comes after the switch back to prod.
    expect(fake.release('loadInventory', 'staging')).toBe(true);
    await settle();
    expect(shownUsers()).toEqual(['alice', 'bob']);
    expect(document.body.textContent).not.toContain('qa.helen');
    expect(screen.getByTestId('cached-banner')).toBeTruthy();

    expect(fake.release('loadInventory', 'prod')).toBe(true);
    await waitFor(() => expect(screen.queryByTestId('cached-banner')).toBeNull());
    expect(shownUsers()).toEqual(['alice', 'bob']);
    expect(screen.getByTestId('identity-account').textContent).toBe('111111111111');
    expect(document.body.textContent).not.toContain('qa.helen');
  });

  it('drops what was cached when connecting again fails, and says why', async () => {
    const { fake, state } = await reconnectProdFailing(DOWN);

    await waitFor(() => expect(screen.getByText('Could not connect with profile prod.')).toBeTruthy());
    expect(screen.getByText(/The endpoint could not be reached/)).toBeTruthy();
    expect(shownUsers()).toEqual([]);
    expect(screen.queryByTestId('identity')).toBeNull();
    expect(screen.queryByTestId('cached-banner')).toBeNull();
    expect(screen.queryByTestId('tab-users')).toBeNull();
    expect(document.body.textContent).not.toContain('alice');
    expect(document.body.textContent).not.toContain('acme-prod');

    // Nor is it shown the next time prod is selected.
    state.connectFails = null;
    await choose('staging');
    await waitFor(() => expect(fake.release('connectProfile', 'staging')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('identity-account').textContent).toBe('222222222222'));
    await choose('prod');
    expect(screen.queryByTestId('identity')).toBeNull();
    expect(screen.queryByTestId('cached-banner')).toBeNull();
    expect(document.body.textContent).not.toContain('alice');
    await waitFor(() => expect(fake.release('connectProfile', 'prod')).toBe(true));
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
  });

  it('drops what was cached when its session turns out expired on connecting again', async () => {
    await reconnectProdFailing(EXPIRED);

    expect((await screen.findByTestId('session-expired')).textContent).toContain(
      'The session of profile prod has expired.',
    );
    expect(shownUsers()).toEqual([]);
    expect(screen.queryByTestId('identity')).toBeNull();
    expect(screen.queryByTestId('cached-banner')).toBeNull();
    expect(document.body.textContent).not.toContain('alice');
  });
});

describe('the cache', () => {
  it('drops the snapshot of a profile whose session expired, selected or not', async () => {
    const { fake } = accounts();
    const ws = new Workspace(fake.backend);
    await ws.loadProfiles();
    await ws.select('prod');
    await ws.select('staging');
    expect(ws.cached('prod')).toBeTruthy();
    expect(ws.cached('staging')).toBeTruthy();

    // A call made with prod while staging is selected finds its session expired.
    await expect(ws.backend.getUser('prod', 'alice')).rejects.toEqual(EXPIRED);
    expect(ws.cached('prod')).toBeUndefined();
    expect(ws.isExpired('prod')).toBe(true);
    // The selected one's too: its account leaves the window.
    await expect(ws.users.get('qa.helen')).rejects.toEqual(EXPIRED);
    expect(ws.cached('staging')).toBeUndefined();
    expect(ws.inventory).toBeNull();

    fake.hold('connectProfile');
    const back = ws.select('prod');
    // Nothing of prod is shown until it has connected again.
    expect(ws.identity).toBeNull();
    expect(ws.inventory).toBeNull();
    expect(ws.staleSince).toBeNull();
    await waitFor(() => expect(fake.release('connectProfile', 'prod')).toBe(true));
    await back;
    expect(names(ws)).toEqual(['alice', 'bob']);
  });

  it('keeps a change made before switching away: the new user is shown at once on return', async () => {
    const { fake } = accounts();
    const ws = new Workspace(fake.backend);
    await ws.loadProfiles();
    await ws.select('prod');
    await ws.users.create({ name: 'dave' });
    expect(names(ws)).toEqual(['alice', 'bob', 'dave']);
    await ws.select('staging');

    fake.hold('connectProfile');
    const back = ws.select('prod');
    expect(ws.identity?.profile).toBe('prod');
    expect(names(ws)).toEqual(['alice', 'bob', 'dave']);
    expect(ws.staleSince).not.toBeNull();
    await waitFor(() => expect(fake.release('connectProfile', 'prod')).toBe(true));
    await back;
    expect(names(ws)).toEqual(['alice', 'bob', 'dave']);
    expect(ws.staleSince).toBeNull();
  });

  it('keeps a change made while a snapshot was being read again', async () => {
    const { fake } = accounts();
    const ws = new Workspace(fake.backend);
    await ws.loadProfiles();
    await ws.select('prod');
    await ws.select('staging');
    const readAt = ws.cached('prod')?.readAt;
    fake.hold('connectProfile');
    void ws.select('prod');
    expect(ws.staleSince).toBe(readAt);
    await ws.users.create({ name: 'fay' });
    expect(names(ws)).toEqual(['alice', 'bob', 'fay']);
    void ws.select('staging');
    // prod's snapshot has fay, and still says when it was first read.
    expect(ws.cached('prod')?.inventory.users.map((u) => u.name)).toEqual(['alice', 'bob', 'fay']);
    expect(ws.cached('prod')?.readAt).toBe(readAt);
    void ws.select('prod');
    expect(names(ws)).toEqual(['alice', 'bob', 'fay']);
  });

  it('drops the snapshot and asks for a code when reconnecting needs MFA', async () => {
    const { fake, state } = accounts();
    const ws = new Workspace(fake.backend);
    await ws.loadProfiles();
    await ws.select('prod');
    await ws.select('staging');
    state.connectFails = { code: 'MfaRequired', message: 'A code is needed' };
    const back = ws.select('prod');
    expect(names(ws)).toEqual(['alice', 'bob']);
    await back;
    expect(ws.identity).toBeNull();
    expect(ws.inventory).toBeNull();
    expect(ws.account.alias).toBeUndefined();
    expect(ws.staleSince).toBeNull();
    expect(ws.mfaNeeded?.profile).toBe('prod');
    expect(ws.cached('prod')).toBeUndefined();
  });

  it('drops the cached inventory when reading it again fails, and says why', async () => {
    const { fake } = accounts();
    let down = false;
    const ws = new Workspace({
      ...fake.backend,
      loadInventory: (p: string) => (down ? Promise.reject(DOWN) : fake.backend.loadInventory(p)),
    });
    await ws.loadProfiles();
    await ws.select('prod');
    await ws.select('staging');
    down = true;
    const back = ws.select('prod');
    expect(names(ws)).toEqual(['alice', 'bob']);
    await back;
    expect(ws.identity?.profile).toBe('prod');
    expect(ws.inventory).toBeNull();
    expect(ws.inventoryError).toEqual(DOWN);
    expect(ws.staleSince).toBeNull();
  });

  it('forgets a profile whose change ended after switching away', async () => {
    const { fake } = accounts();
    const ws = new Workspace(fake.backend);
    await ws.loadProfiles();
    await ws.select('prod');
    fake.hold('createUser');
    const creating = ws.users.create({ name: 'erin' });
    await ws.select('staging');
    expect(ws.cached('prod')).toBeTruthy();
    await waitFor(() => expect(fake.release('createUser', 'prod')).toBe(true));
    await creating;
    expect(ws.cached('prod')).toBeUndefined();
    // staging's inventory never saw erin.
    expect(names(ws)).toEqual(['qa.helen']);

    fake.hold('connectProfile');
    const back = ws.select('prod');
    expect(ws.inventory).toBeNull();
    await waitFor(() => expect(fake.release('connectProfile', 'prod')).toBe(true));
    await back;
    expect(names(ws)).toEqual(['alice', 'bob', 'erin']);
  });

  it('keeps the roles and policies lists, the alias and the audit, and reads them again', async () => {
    const { fake, roles } = accounts();
    const ws = new Workspace(fake.backend);
    await ws.loadProfiles();
    await ws.select('prod');
    await ws.roles.load();
    await ws.account.runAudit();
    expect(ws.account.alias).toBe('acme-prod');
    await ws.select('staging');
    expect(ws.roles.list).toBeNull();
    expect(ws.account.alias).toBeNull();

    roles.prod = ['admin', 'deployer'];
    fake.hold('connectProfile');
    const back = ws.select('prod');
    expect(ws.roles.list?.map((r) => r.name)).toEqual(['admin']);
    expect(ws.account.alias).toBe('acme-prod');
    expect(ws.account.audit).not.toBeNull();
    await waitFor(() => expect(fake.release('connectProfile', 'prod')).toBe(true));
    await back;
    expect(ws.roles.list?.map((r) => r.name)).toEqual(['admin', 'deployer']);
    expect(fake.calls.filter((c) => c.cmd === 'runAudit').length).toBe(2);
  });

  it(`keeps at most ${CACHED_PROFILES} profiles, the least recently used giving way`, async () => {
    const many = Array.from({ length: CACHED_PROFILES + 1 }, (_, i) => `p${i}`);
    const { fake } = accounts(many);
    const ws = new Workspace(fake.backend);
    await ws.loadProfiles();
    for (const p of many.slice(0, CACHED_PROFILES)) await ws.select(p);
    expect(many.slice(0, CACHED_PROFILES).every((p) => ws.cached(p))).toBe(true);
    // p0 is used again: p1 is now the least recently used.
    await ws.select('p0');
    await ws.select(many[CACHED_PROFILES]);
    expect(ws.cached('p1')).toBeUndefined();
    expect(ws.cached('p0')).toBeTruthy();
    expect(many.filter((p) => ws.cached(p)).length).toBe(CACHED_PROFILES);
  });
});

describe('readAgo', () => {
  it('says how long ago a snapshot was read', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(readAgo(now - 5_000, now)).toBe('just now');
    expect(readAgo(now - 60_000, now)).toBe('1 minute ago');
    expect(readAgo(now - 3 * 60_000, now)).toBe('3 minutes ago');
    expect(readAgo(now - 2 * 3_600_000, now)).toBe('2 hours ago');
    expect(readAgo(now - 26 * 3_600_000, now)).toBe('1 day ago');
  });
});

describe('Refresh', () => {
  it('has the Rust side forget its read of the account, then reads the users again', async () => {
    const { fake, users } = accounts();
    const ws = new Workspace(fake.backend);
    await ws.loadProfiles();
    await ws.select('prod');
    // Changed elsewhere (the console, a script): only a read from AWS can show it.
    users.prod = [...users.prod, 'carol'];
    fake.calls.length = 0;
    await ws.reload();
    // (The fake has no handler for refreshAccount: a failure to forget does not stop the read.)
    expect(fake.calls.map((c) => [c.cmd, c.args[0]])).toEqual([
      ['refreshAccount', 'prod'],
      ['loadInventory', 'prod'],
    ]);
    expect(names(ws)).toEqual(['alice', 'bob', 'carol']);
  });

  it("is the roles' Refresh too: forget, then list the roles again", async () => {
    const { fake, roles } = accounts();
    render(App, { backend: fake.backend });
    await choose('prod');
    await fireEvent.click(await screen.findByTestId('tab-roles'));
    await screen.findByText('admin');
    roles.prod = [...roles.prod, 'auditor'];
    fake.calls.length = 0;
    await fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await screen.findByText('auditor');
    expect(fake.calls.map((c) => c.cmd)).toEqual(['refreshAccount', 'listRoles']);
  });
});
