import { screen, fireEvent, waitFor } from '@testing-library/svelte';
import { render } from './test/render';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { IpcError, ProfileList } from './lib/bindings';
import {
  accountSummary,
  audit,
  callerIdentity,
  fakeBackend,
  inventory,
  userRow,
  handoffList,
  type Handlers,
  updated,
  accountSettings,
} from './test/fakeBackend';

const ACCOUNTS: Record<string, { account: string; users: string[] }> = {
  prod: { account: '111111111111', users: ['alice', 'bob'] },
  staging: { account: '222222222222', users: ['qa.helen'] },
};

const LIST: ProfileList = {
  profiles: [
    {
      name: 'prod',
      region: 'eu-west-1',
      kind: 'StaticKeys',
      roleArn: null,
      source: null,
      endpointUrl: null,
      mfaSerial: null,
      state: { kind: 'ready' },
    },
    {
      name: 'staging',
      region: null,
      kind: 'AssumeRole',
      roleArn: 'arn:aws:iam::2:role/x',
      source: 'prod',
      endpointUrl: null,
      mfaSerial: null,
      state: { kind: 'ready' },
    },
  ],
  preselected: null,
  problems: [{ file: '/home/a/.aws/credentials', message: 'Cannot be read (line 3)' }],
  configFile: '/home/a/.aws/config',
  credentialsFile: '/home/a/.aws/credentials',
};

/** The account tab's commands: prod has an alias, staging none. */
const ACCOUNT_TAB: Handlers = {
  getAccountAlias: (profile) => (profile === 'prod' ? 'acme-prod' : null),
  getAccountSummary: () => accountSummary(),
  runAudit: () => audit({ counts: { critical: 1, high: 0, medium: 2, low: 0 } }),
  listRotations: () => ({ rotations: [], notice: null }),
};

function twoAccounts() {
  return fakeBackend({
    ...ACCOUNT_TAB,
    getAppInfo: () => ({ version: '0', sandbox: false }),
    listHandoffs: () => handoffList(),
    listProfiles: () => LIST,
    connectProfile: (profile) => ({
      profile,
      account: ACCOUNTS[profile].account,
      arn: `arn:aws:iam::${ACCOUNTS[profile].account}:user/admin`,
      userId: 'AIDA',
      region: 'us-east-1',
      endpointUrl: null,
      expires: null,
    }),
    loadInventory: (profile) =>
      inventory(
        ACCOUNTS[profile].users.map((n) => userRow(n)),
        ['developers'],
      ),
  });
}

/** A profile opens on its account tab: the users are one click away. */
const usersTab = async () => fireEvent.click(await screen.findByTestId('tab-users'));

const shownUsers = () =>
  Array.from(document.querySelectorAll('tbody tr[data-user]')).map((r) => r.getAttribute('data-user'));

describe('App', () => {
  it('lists profiles and file problems, then shows the selected account and its users', async () => {
    const fake = twoAccounts();
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    expect(screen.getByText(/Cannot be read \(line 3\)/)).toBeTruthy();
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    // Grouped by CSS, not by spaces: selecting and copying the id gives its 12 digits.
    const id = screen.getByTestId('identity-account');
    expect(id.getAttribute('data-account')).toBe('111111111111');
    expect(id.textContent).toBe('111111111111');
    expect(Array.from(id.children).map((g) => g.textContent)).toEqual(['1111', '1111', '1111']);
  });

  it("opens a profile on its account's dashboard, with the alias in the header", async () => {
    const fake = twoAccounts();
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    expect(await screen.findByTestId('dashboard')).toBeTruthy();
    expect(screen.getByTestId('tab-account').classList.contains('active')).toBe(true);
    expect(shownUsers()).toEqual([]);
    await waitFor(() => expect(screen.getByTestId('identity-alias').textContent).toBe('acme-prod'));
    expect(screen.getByTestId('dashboard-alias').textContent).toBe('acme-prod');
    await waitFor(() => expect(screen.getByTestId('audit-count-critical').textContent).toBe('1'));
    expect(screen.getByTestId('audit-count-medium').textContent).toBe('2');
    expect(await screen.findByRole('meter', { name: 'Users' })).toBeTruthy();

    // Another account: its own dashboard, and no alias of the previous one.
    await fireEvent.click(screen.getByRole('button', { name: /^staging/ }));
    await waitFor(() => expect(screen.getByTestId('identity-account').textContent).toBe('222222222222'));
    await waitFor(() => expect(screen.getByTestId('dashboard-alias').textContent).toBe('No alias'));
    expect(screen.queryByTestId('identity-alias')).toBeNull();
    expect(document.body.textContent).not.toContain('acme-prod');

    // "No alias" leads to the settings, where one can be set.
    await fireEvent.click(screen.getByTestId('set-alias-link'));
    // (The section's button shares the settings' test id: the section itself is asked for.)
    await waitFor(() => expect(document.querySelector('section[data-testid="account-settings"]')).toBeTruthy());
    expect(screen.getByTestId('alias-current').textContent).toBe('No alias');
  });

  it('sets the alias in the settings, and the header shows it', async () => {
    let alias: string | null = null;
    const fake = fakeBackend({
      ...ACCOUNT_TAB,
      getAccountAlias: () => alias,
      setAccountAlias: (_profile, a) => {
        alias = a;
        return updated(accountSettings);
      },
      getAppInfo: () => ({ version: '0', sandbox: false }),
      listHandoffs: () => handoffList(),
      listProfiles: () => ({ ...LIST, preselected: 'prod' }),
      connectProfile: (profile) => callerIdentity(profile),
      loadInventory: () => inventory([userRow('alice')]),
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: 'Alias & password policy' }));
    await fireEvent.input(await screen.findByTestId('alias-input'), { target: { value: 'acme-new' } });
    await fireEvent.click(screen.getByTestId('alias-save'));
    await waitFor(() => expect(screen.getByTestId('identity-alias').textContent).toBe('acme-new'));
    expect(screen.getByTestId('alias-current').textContent).toBe('acme-new');
    expect(fake.calls.filter((c) => c.cmd === 'setAccountAlias').map((c) => c.args)).toEqual([['prod', 'acme-new']]);
  });

  it('never shows an answer for the previous profile after a switch', async () => {
    const fake = twoAccounts();
    fake.hold('loadInventory');
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    await waitFor(() => expect(screen.getByTestId('identity-account').textContent).toBe('111111111111'));

    await fireEvent.click(screen.getByRole('button', { name: /^staging/ }));
    await waitFor(() => expect(screen.getByTestId('identity-account').textContent).toBe('222222222222'));
    await usersTab();
    // prod's inventory arrives after the switch, then staging's.
    await waitFor(() => expect(fake.release('loadInventory', 'prod')).toBe(true));
    await waitFor(() => expect(fake.release('loadInventory', 'staging')).toBe(true));
    await waitFor(() => expect(shownUsers()).toEqual(['qa.helen']));
    expect(document.body.textContent).not.toContain('alice');
  });

  it('filters users by text, path and group', async () => {
    const fake = fakeBackend({
      getAppInfo: () => ({ version: '0', sandbox: false }),
      listHandoffs: () => handoffList(),
      listProfiles: () => ({ ...LIST, preselected: 'prod' }),
      connectProfile: (profile) => callerIdentity(profile),
      loadInventory: () =>
        inventory(
          [
            userRow('ana', { path: '/eng/', groups: ['developers'], tags: [{ key: 'team', value: 'payments' }] }),
            userRow('bea', { path: '/data/' }),
            userRow('cy', { path: '/eng/' }),
          ],
          ['developers'],
        ),
    });
    render(App, { backend: fake.backend });
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['ana', 'bea', 'cy']));
    await fireEvent.input(screen.getByTestId('user-search'), { target: { value: 'payments' } });
    expect(shownUsers()).toEqual(['ana']);
    await fireEvent.input(screen.getByTestId('user-search'), { target: { value: '' } });
    await fireEvent.change(screen.getByLabelText('Filter by path'), { target: { value: '/eng/' } });
    expect(shownUsers()).toEqual(['ana', 'cy']);
    await fireEvent.change(screen.getByLabelText('Filter by group'), { target: { value: 'developers' } });
    expect(shownUsers()).toEqual(['ana']);
    expect(screen.getByTestId('user-count').textContent).toBe('1 of 3');
  });
});

describe('switching profiles', () => {
  /** prod and staging both have a user alice; each has a user of its own. */
  function sharedAlice() {
    const users: Record<string, string[]> = { prod: ['alice', 'bob'], staging: ['alice', 'carol'] };
    return fakeBackend({
      ...ACCOUNT_TAB,
      getAppInfo: () => ({ version: '0', sandbox: false }),
      listHandoffs: () => handoffList(),
      listProfiles: () => LIST,
      connectProfile: (profile) => callerIdentity(profile, { account: ACCOUNTS[profile].account }),
      loadInventory: (profile) =>
        inventory(
          users[profile].map((n) => userRow(n)),
          ['developers'],
        ),
    });
  }
  const choose = async (name: string) =>
    fireEvent.click(await screen.findByRole('button', { name: new RegExp(`^${name}`) }));
  const active = () => document.querySelector('nav.tabs button.active')?.getAttribute('data-testid');

  it('stays on the tab it was on, showing the new account there and nothing chosen in the previous one', async () => {
    const fake = sharedAlice();
    render(App, { backend: fake.backend });
    await choose('prod');
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    await fireEvent.click(screen.getByLabelText('Select alice'));
    expect(screen.getByTestId('delete-selected').textContent).toContain('Delete 1 user');

    // Another account: still its users, and prod's selection does not follow to staging's alice.
    await choose('staging');
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'carol']));
    expect(active()).toBe('tab-users');
    expect((screen.getByLabelText('Select alice') as HTMLInputElement).checked).toBe(false);
    expect(screen.queryByTestId('delete-selected')).toBeNull();

    // Back to prod, shown at once from what was read of it: the users tab, nothing selected.
    await choose('prod');
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    expect(active()).toBe('tab-users');
    expect(screen.queryByTestId('delete-selected')).toBeNull();

    // Another tab is kept the same way.
    await fireEvent.click(screen.getByTestId('tab-groups'));
    await choose('staging');
    await waitFor(() => expect(screen.getByTestId('identity-account').textContent).toBe('222222222222'));
    expect(active()).toBe('tab-groups');
  });
});

describe('a running deletion', () => {
  it('cannot be closed by Escape, a click beside it or a profile switch, and shows its results', async () => {
    const fake = fakeBackend({
      getAppInfo: () => ({ version: '0', sandbox: false }),
      listHandoffs: () => handoffList(),
      listProfiles: () => ({ ...LIST, preselected: 'prod' }),
      connectProfile: (profile) => callerIdentity(profile),
      loadInventory: () => inventory([userRow('alice'), userRow('bob')]),
      planDeletion: (_profile, targets) =>
        targets.map((target) => ({
          target,
          gone: false,
          warnings: [],
          steps: [
            { step: { action: 'deleteAccessKey', id: 'AKIA1' }, text: 'Delete access key AKIA1' },
            { step: { action: 'delete' }, text: 'Delete user alice' },
          ],
        })),
      runDeletion: (_profile, targets) =>
        targets.map((target) => ({
          target,
          done: ['Delete access key AKIA1'],
          failed: 'Delete user alice',
          error: { code: 'DeleteConflict', message: 'alice still has a signing certificate.' },
          remaining: [],
          changed: [{ entity: { kind: 'AccessKey', user: 'alice', id: 'AKIA1' }, how: { kind: 'Deleted' } }],
        })),
      getUserRow: (_profile, name) => userRow(name),
    });
    fake.hold('runDeletion');
    render(App, { backend: fake.backend });
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    await fireEvent.click(screen.getByLabelText('Select alice'));
    await fireEvent.click(screen.getByTestId('delete-selected'));
    await fireEvent.input(await screen.findByTestId('confirm-delete-input'), { target: { value: 'alice' } });
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    await waitFor(() => expect(fake.calls.some((c) => c.cmd === 'runDeletion')).toBe(true));
    expect(screen.getByTestId('deletion-running').textContent).toContain('stays open until every step is done');

    await fireEvent.keyDown(window, { key: 'Escape' });
    await fireEvent.click(document.querySelector('.backdrop')!);
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(screen.queryByRole('dialog', { name: 'Switch profile' })).toBeNull();
    expect(screen.getByRole('dialog', { name: 'Delete user alice' })).toBeTruthy();

    expect(fake.release('runDeletion', 'prod')).toBe(true);
    await waitFor(() => expect(screen.getByText(/alice still has a signing certificate/)).toBeTruthy());
    expect(document.body.textContent).toContain('Done: Delete access key AKIA1');
    expect(screen.queryByTestId('deletion-running')).toBeNull();

    // Once it is done, Escape closes it as any dialog.
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Delete user alice' })).toBeNull();
  });
});

describe('an expired session', () => {
  const EXPIRED: IpcError = { code: 'ExpiredToken', message: 'The security token included in the request is expired' };

  /** prod's session expires on the commands in `expiring` while `state.expired` is set. */
  function expiring(list: ProfileList, expiring: string[], more: Handlers = {}) {
    const state = { expired: true };
    const fail = (cmd: string) => {
      if (state.expired && expiring.includes(cmd)) throw EXPIRED;
    };
    const fake = fakeBackend({
      getAppInfo: () => ({ version: '0', sandbox: false }),
      listHandoffs: () => handoffList(),
      listProfiles: () => list,
      connectProfile: (profile) => {
        fail('connectProfile');
        return {
          profile,
          account: ACCOUNTS[profile].account,
          arn: `arn:aws:iam::${ACCOUNTS[profile].account}:user/admin`,
          userId: 'AIDA',
          region: 'us-east-1',
          endpointUrl: null,
          expires: null,
        };
      },
      loadInventory: (profile) => inventory(ACCOUNTS[profile].users.map((n) => userRow(n))),
      getUser: (_profile, name) => {
        fail('getUser');
        return {
          ...userRow(name),
          loginProfile: null,
          accessKeys: [],
          mfaDevices: [],
          viaGroups: [],
          permissionsBoundary: null,
        };
      },
      ...more,
    });
    return { fake, state };
  }
  const mark = (profile: string) =>
    document.querySelector(`button[data-profile='${profile}'] [data-testid='profile-expired']`);

  it('on connecting: says to sign in with SSO and to reconnect, and marks the profile', async () => {
    const sso: ProfileList = {
      ...LIST,
      profiles: [{ ...LIST.profiles[0], kind: 'Sso', source: 'https://example.awsapps.com/start' }, LIST.profiles[1]],
    };
    const { fake, state } = expiring(sso, ['connectProfile']);
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));

    const sentence = await screen.findByTestId('session-expired');
    expect(sentence.textContent).toContain('The session of profile prod has expired.');
    expect(sentence.textContent).toContain('aws sso login --profile prod');
    expect(mark('prod')?.textContent).toBe('Session expired');
    expect(mark('staging')).toBeNull();
    // The one sentence: no connection error, no invitation to choose a profile, nothing of the account.
    expect(document.querySelector('main [role="alert"]')).toBeNull();
    expect(screen.queryByText('Choose a profile')).toBeNull();
    expect(screen.queryByTestId('identity')).toBeNull();
    expect(fake.calls.some((c) => c.cmd === 'loadInventory')).toBe(false);

    state.expired = false;
    await fireEvent.click(screen.getByTestId('reconnect'));
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    expect(screen.getByTestId('identity-profile').textContent).toBe('prod');
    expect(screen.queryByTestId('session-expired')).toBeNull();
    expect(mark('prod')).toBeNull();
  });

  it('on a later call: the account leaves the window until Reconnect succeeds', async () => {
    const { fake, state } = expiring(LIST, ['getUser']);
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));

    await fireEvent.click(screen.getByRole('button', { name: 'alice' }));
    const sentence = await screen.findByTestId('session-expired');
    expect(sentence.textContent).toContain('The session of profile prod has expired.');
    expect(sentence.textContent).toContain('Sign in again or renew its credentials, then reconnect.');
    expect(shownUsers()).toEqual([]);
    expect(document.querySelector('table')).toBeNull();
    expect(screen.queryByTestId('identity')).toBeNull();
    expect(screen.queryByTestId('user-panel')).toBeNull();
    expect(screen.queryByTestId('tab-users')).toBeNull();
    expect(mark('prod')).toBeTruthy();

    state.expired = false;
    await fireEvent.click(screen.getByTestId('reconnect'));
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    expect(screen.getByTestId('identity-account').textContent).toBe('111111111111');
    expect(screen.queryByTestId('session-expired')).toBeNull();
    expect(mark('prod')).toBeNull();
  });

  it("keeps a deletion's results when the session expires while it runs", async () => {
    const { fake } = expiring(LIST, ['getUserRow'], {
      planDeletion: (_profile, targets) =>
        targets.map((target) => ({
          target,
          gone: false,
          warnings: [],
          steps: [
            { step: { action: 'deleteAccessKey', id: 'AKIA1' }, text: 'Delete access key AKIA1' },
            { step: { action: 'delete' }, text: 'Delete user alice' },
          ],
        })),
      runDeletion: (_profile, targets) =>
        targets.map((target) => ({
          target,
          done: ['Delete access key AKIA1'],
          failed: 'Delete user alice',
          error: EXPIRED,
          remaining: [],
          changed: [{ entity: { kind: 'AccessKey', user: 'alice', id: 'AKIA1' }, how: { kind: 'Deleted' } }],
        })),
      getUserRow: () => {
        throw EXPIRED;
      },
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    await fireEvent.click(screen.getByLabelText('Select alice'));
    await fireEvent.click(screen.getByTestId('delete-selected'));
    await fireEvent.input(await screen.findByTestId('confirm-delete-input'), { target: { value: 'alice' } });
    await fireEvent.click(screen.getByTestId('confirm-delete'));

    // Reading alice's row again found the session expired: the account is gone, the results stay.
    expect(await screen.findByTestId('session-expired')).toBeTruthy();
    expect(shownUsers()).toEqual([]);
    await waitFor(() =>
      expect(screen.getByRole('dialog', { name: 'Delete user alice' }).textContent).toContain(
        'Done: Delete access key AKIA1',
      ),
    );
    expect(screen.getByText(/The security token included in the request is expired/)).toBeTruthy();
    expect(screen.queryByText('Run again')).toBeNull();
    // Nothing asked the expired account for the plan again.
    expect(fake.calls.filter((c) => c.cmd === 'planDeletion').length).toBe(1);
    await fireEvent.click(screen.getByTestId('deletion-close'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('the "/" shortcut', () => {
  it("focuses the open tab's search, or the users' after switching to them; not while typing in the editor", async () => {
    const fake = twoAccounts();
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    await usersTab();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));

    await fireEvent.click(screen.getByTestId('tab-groups'));
    await fireEvent.keyDown(window, { key: '/' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('user-search')));

    await fireEvent.click(screen.getByTestId('tab-roles'));
    await fireEvent.keyDown(window, { key: '/' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('roles-search')));

    // A "/" typed in a contenteditable (the policy editor) is text, not the shortcut.
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    editor.tabIndex = 0;
    document.body.append(editor);
    editor.focus();
    await fireEvent.keyDown(editor, { key: '/' });
    await new Promise((r) => setTimeout(r, 20));
    expect(document.activeElement).toBe(editor);
    editor.remove();
  });
});
