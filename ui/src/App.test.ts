import { render, screen, fireEvent, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { IpcError, ProfileList } from './lib/bindings';
import { fakeBackend, inventory, userRow, handoffList, type Handlers } from './test/fakeBackend';

const ACCOUNTS: Record<string, { account: string; users: string[] }> = {
  prod: { account: '111111111111', users: ['alice', 'bob'] },
  staging: { account: '222222222222', users: ['qa.helen'] },
};

const LIST: ProfileList = {
  profiles: [
    { name: 'prod', region: 'eu-west-1', kind: 'StaticKeys', roleArn: null, source: null, endpointUrl: null },
    {
      name: 'staging',
      region: null,
      kind: 'AssumeRole',
      roleArn: 'arn:aws:iam::2:role/x',
      source: 'prod',
      endpointUrl: null,
    },
  ],
  preselected: null,
  problems: [{ file: '/home/a/.aws/credentials', message: 'Cannot be read (line 3)' }],
  configFile: '/home/a/.aws/config',
  credentialsFile: '/home/a/.aws/credentials',
};

function twoAccounts() {
  return fakeBackend({
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
    }),
    loadInventory: (profile) =>
      inventory(
        ACCOUNTS[profile].users.map((n) => userRow(n)),
        ['developers'],
      ),
  });
}

const shownUsers = () =>
  Array.from(document.querySelectorAll('tbody tr[data-user]')).map((r) => r.getAttribute('data-user'));

describe('App', () => {
  it('lists profiles and file problems, then shows the selected account and its users', async () => {
    const fake = twoAccounts();
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    expect(screen.getByText(/Cannot be read \(line 3\)/)).toBeTruthy();
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    expect(screen.getByTestId('identity-account').textContent).toBe('1111 1111 1111');
  });

  it('never shows an answer for the previous profile after a switch', async () => {
    const fake = twoAccounts();
    fake.hold('loadInventory');
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    await waitFor(() => expect(screen.getByTestId('identity-account').textContent).toBe('1111 1111 1111'));

    await fireEvent.click(screen.getByRole('button', { name: /^staging/ }));
    await waitFor(() => expect(screen.getByTestId('identity-account').textContent).toBe('2222 2222 2222'));
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
      connectProfile: (profile) => ({
        profile,
        account: '111111111111',
        arn: 'arn',
        userId: 'x',
        region: 'r',
        endpointUrl: null,
      }),
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

describe('a running deletion', () => {
  it('cannot be closed by Escape, a click beside it or a profile switch, and shows its results', async () => {
    const fake = fakeBackend({
      getAppInfo: () => ({ version: '0', sandbox: false }),
      listHandoffs: () => handoffList(),
      listProfiles: () => ({ ...LIST, preselected: 'prod' }),
      connectProfile: (profile) => ({
        profile,
        account: '111111111111',
        arn: 'arn',
        userId: 'x',
        region: 'r',
        endpointUrl: null,
      }),
      loadInventory: () => inventory([userRow('alice'), userRow('bob')]),
      planDeletion: (_profile, principals) =>
        principals.map((principal) => ({
          principal,
          gone: false,
          warnings: [],
          steps: [
            { step: { action: 'deleteAccessKey', id: 'AKIA1' }, text: 'Delete access key AKIA1' },
            { step: { action: 'deletePrincipal' }, text: 'Delete user alice' },
          ],
        })),
      deletePrincipals: (_profile, principals) =>
        principals.map((principal) => ({
          principal,
          done: ['Delete access key AKIA1'],
          failed: 'Delete user alice',
          error: { code: 'DeleteConflict', message: 'alice still has a signing certificate.' },
          remaining: [],
        })),
      getUserRow: (_profile, name) => userRow(name),
    });
    fake.hold('deletePrincipals');
    render(App, { backend: fake.backend });
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    await fireEvent.click(screen.getByLabelText('Select alice'));
    await fireEvent.click(screen.getByTestId('delete-selected'));
    await fireEvent.input(await screen.findByTestId('confirm-delete-input'), { target: { value: 'alice' } });
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    await waitFor(() => expect(fake.calls.some((c) => c.cmd === 'deletePrincipals')).toBe(true));
    expect(screen.getByTestId('deletion-running').textContent).toContain('stays open until every step is done');

    await fireEvent.keyDown(window, { key: 'Escape' });
    await fireEvent.click(document.querySelector('.backdrop')!);
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(screen.queryByRole('dialog', { name: 'Switch profile' })).toBeNull();
    expect(screen.getByRole('dialog', { name: 'Delete user alice' })).toBeTruthy();

    expect(fake.release('deletePrincipals', 'prod')).toBe(true);
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
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    expect(screen.getByTestId('identity-profile').textContent).toBe('prod');
    expect(screen.queryByTestId('session-expired')).toBeNull();
    expect(mark('prod')).toBeNull();
  });

  it('on a later call: the account leaves the window until Reconnect succeeds', async () => {
    const { fake, state } = expiring(LIST, ['getUser']);
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
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
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    expect(screen.getByTestId('identity-account').textContent).toBe('1111 1111 1111');
    expect(screen.queryByTestId('session-expired')).toBeNull();
    expect(mark('prod')).toBeNull();
  });

  it("keeps a deletion's results when the session expires while it runs", async () => {
    const { fake } = expiring(LIST, ['getUserRow'], {
      planDeletion: (_profile, principals) =>
        principals.map((principal) => ({
          principal,
          gone: false,
          warnings: [],
          steps: [
            { step: { action: 'deleteAccessKey', id: 'AKIA1' }, text: 'Delete access key AKIA1' },
            { step: { action: 'deletePrincipal' }, text: 'Delete user alice' },
          ],
        })),
      deletePrincipals: (_profile, principals) =>
        principals.map((principal) => ({
          principal,
          done: ['Delete access key AKIA1'],
          failed: 'Delete user alice',
          error: EXPIRED,
          remaining: [],
        })),
      getUserRow: () => {
        throw EXPIRED;
      },
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
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
