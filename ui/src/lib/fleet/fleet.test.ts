import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import type {
  AccessKeyOwner,
  AccountComparison,
  CallerIdentity,
  FleetMatch,
  FleetProgress,
  ProfileList,
  SearchResults,
} from '../bindings';
import type { Channel } from '@tauri-apps/api/core';
import {
  windowReads,
  profileEntry,
  profileList,
  callerIdentity,
  fakeBackend,
  inventory,
  userRow,
  type Handlers,
} from '../../test/fakeBackend';
import { isAccessKeyId } from './fleet.svelte';

const ACCOUNT: Record<string, string> = { prod: '111111111111', staging: '222222222222', sandbox: '333333333333' };

const profile = (name: string) => profileEntry(name);

const LIST: ProfileList = profileList(['prod', 'staging', 'sandbox'].map(profile), { preselected: 'prod' });

function identity(p: string): CallerIdentity {
  return callerIdentity(p, { account: ACCOUNT[p], arn: `arn:aws:iam::${ACCOUNT[p]}:user/admin`, region: 'us-east-1' });
}

function match(p: string, kind: FleetMatch['kind'], name: string, over: Partial<FleetMatch> = {}): FleetMatch {
  const type = kind === 'AccessKey' ? 'user' : kind.toLowerCase();
  return {
    profile: p,
    account: ACCOUNT[p],
    kind,
    name,
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT[p]}:${type}/${name}`,
    owner: null,
    ...over,
  };
}

function fleet(more: Handlers = {}) {
  return fakeBackend({
    ...windowReads(),
    listProfiles: () => LIST,
    connectProfile: (p) => identity(p),
    loadInventory: () => inventory([userRow('deploy-bot')]),
    getUser: (_p, name) => ({
      ...userRow(name),
      loginProfile: null,
      accessKeys: [],
      mfaDevices: [],
      viaGroups: [],
      permissionsBoundary: null,
    }),
    ...more,
  });
}

/** A search that answers when the test says, its channel in the test's hands meanwhile. */
function pendingSearch() {
  const s: { channel: Channel<FleetProgress> | null; finish: (r: SearchResults) => void; query: string } = {
    channel: null,
    finish: () => {},
    query: '',
  };
  const handler: Handlers['searchEverywhere'] = (_profiles, query, channel) => {
    s.channel = channel;
    s.query = query;
    return new Promise<SearchResults>((resolve) => (s.finish = resolve));
  };
  return { s, handler };
}

const send = (s: { channel: Channel<FleetProgress> | null }, m: FleetProgress) => s.channel!.onmessage(m);
const line = (p: string) => document.querySelector(`[data-testid='fleet-progress'][data-profile='${p}']`);
const rows = () =>
  Array.from(document.querySelectorAll("[data-testid='fleet-result']")).map(
    (r) => `${r.getAttribute('data-profile')}/${r.getAttribute('data-kind')}/${r.getAttribute('data-name')}`,
  );

async function search(query: string) {
  const input = await screen.findByTestId('fleet-query');
  await fireEvent.input(input, { target: { value: query } });
  await fireEvent.keyDown(input, { key: 'Enter' });
}

describe('search everywhere', () => {
  it('shows each profile as it goes, then the matches; a user opens in its profile', async () => {
    const { s, handler } = pendingSearch();
    const fake = fleet({ searchEverywhere: handler });
    render(App, { backend: fake.backend });
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));

    await fireEvent.click(screen.getByTestId('search-everywhere'));
    await search('deploy');
    const call = fake.calls.find((c) => c.cmd === 'searchEverywhere')!;
    expect(call.args.slice(0, 2)).toEqual([['prod', 'staging', 'sandbox'], 'deploy']);
    expect(fake.calls.some((c) => c.cmd === 'findAccessKeyOwner')).toBe(false);

    await waitFor(() => expect(line('prod')?.textContent).toContain('searching'));
    send(s, { profile: 'prod', state: { kind: 'done', matches: 1 } });
    send(s, { profile: 'staging', state: { kind: 'failed', message: 'Could not reach IAM' } });
    send(s, { profile: 'sandbox', state: { kind: 'needsMfa' } });
    await waitFor(() => expect(line('prod')?.textContent).toContain('1 match'));
    expect(line('staging')?.textContent).toContain('failed: Could not reach IAM');
    expect(line('sandbox')?.textContent).toContain('needs MFA');
    expect(rows()).toEqual([]);

    s.finish({
      matches: [match('prod', 'Role', 'deploy'), match('staging', 'User', 'deploy-bot', { path: '/ci/' })],
      failures: [{ profile: 'sandbox', code: 'MfaRequired', message: 'needs a code' }],
      keyAccount: null,
    });
    await waitFor(() => expect(rows()).toEqual(['prod/Role/deploy', 'staging/User/deploy-bot']));
    expect(line('sandbox')?.getAttribute('data-state')).toBe('needsMfa');

    // The user is in staging: its profile connects, then its page opens on the users tab.
    await fireEvent.click(document.querySelector("[data-testid='fleet-result'][data-name='deploy-bot']")!);
    expect(screen.queryByTestId('fleet-query')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('staging'));
    await waitFor(() => expect(screen.getByTestId('user-panel')).toBeTruthy());
    expect(screen.getByTestId('panel-title').textContent).toBe('deploy-bot');
    expect(screen.getByTestId('tab-users').classList.contains('active')).toBe(true);
    expect(fake.calls.some((c) => c.cmd === 'getUser' && c.args[0] === 'staging' && c.args[1] === 'deploy-bot')).toBe(
      true,
    );
  });

  it('opens with Ctrl+Shift+F, and keeps the last search when opened again', async () => {
    const fake = fleet({
      searchEverywhere: () => ({ matches: [match('prod', 'Group', 'admins')], failures: [], keyAccount: null }),
    });
    render(App, { backend: fake.backend });
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));
    await fireEvent.keyDown(window, { key: 'F', ctrlKey: true, shiftKey: true });
    await search('adm');
    await waitFor(() => expect(rows()).toEqual(['prod/Group/admins']));
    expect(line('staging')?.textContent).toContain('0 matches');

    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('fleet-query')).toBeNull();
    await fireEvent.keyDown(window, { key: 'f', ctrlKey: true, shiftKey: true });
    expect((screen.getByTestId('fleet-query') as HTMLInputElement).value).toBe('adm');
    expect(rows()).toEqual(['prod/Group/admins']);

    // A group opens on the groups tab, in the profile already connected.
    await fireEvent.click(document.querySelector("[data-testid='fleet-result']")!);
    await waitFor(() => expect(screen.getByTestId('tab-groups').classList.contains('active')).toBe(true));
  });

  it('opens a role on the roles tab and a policy by its ARN on the policies tab', async () => {
    const role = match('staging', 'Role', 'deploy');
    const policy = match('staging', 'Policy', 'deploy-boundary', {
      arn: 'arn:aws:iam::222222222222:policy/ci/deploy-boundary',
      path: '/ci/',
    });
    const fake = fleet({ searchEverywhere: () => ({ matches: [role, policy], failures: [], keyAccount: null }) });
    render(App, { backend: fake.backend });
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));

    await fireEvent.click(screen.getByTestId('search-everywhere'));
    await search('deploy');
    await waitFor(() => expect(rows()).toEqual(['staging/Role/deploy', 'staging/Policy/deploy-boundary']));
    await fireEvent.click(document.querySelector("[data-testid='fleet-result'][data-kind='Role']")!);
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('staging'));
    await waitFor(() => expect(screen.getByTestId('role-panel')).toBeTruthy());
    expect(screen.getByTestId('tab-roles').classList.contains('active')).toBe(true);

    await fireEvent.click(screen.getByTestId('search-everywhere'));
    await fireEvent.click(document.querySelector("[data-testid='fleet-result'][data-kind='Policy']")!);
    await waitFor(() => expect(screen.getByTestId('policy-panel')).toBeTruthy());
    expect(screen.queryByTestId('role-panel')).toBeNull();
    expect(screen.getByTestId('tab-policies').classList.contains('active')).toBe(true);
    expect(fake.calls.some((c) => c.cmd === 'getPolicy' && c.args[1] === policy.arn)).toBe(true);
  });

  it("asks for an access key's owner, and says which account and profile have it", async () => {
    const KEY = 'AKIAIOSFODNN7EXAMPLE';
    const owner: AccessKeyOwner = {
      keyId: KEY,
      found: match('staging', 'AccessKey', KEY, { owner: 'deploy-bot' }),
      account: ACCOUNT.staging,
      failures: [],
    };
    const fake = fleet({
      searchEverywhere: () => ({ matches: [owner.found!], failures: [], keyAccount: null }),
      findAccessKeyOwner: () => owner,
    });
    render(App, { backend: fake.backend });
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));
    await fireEvent.click(screen.getByTestId('search-everywhere'));
    await search(KEY);
    expect(fake.calls.find((c) => c.cmd === 'findAccessKeyOwner')?.args).toEqual([KEY]);
    await waitFor(() =>
      expect(screen.getByTestId('key-owner').textContent).toMatch(
        new RegExp(`Key ${KEY} belongs to account 222222222222\\s+\\(profile staging\\), user deploy-bot`),
      ),
    );
    await waitFor(() => expect(rows()).toEqual([`staging/AccessKey/${KEY}`]));

    // A key opens its owner's page.
    await fireEvent.click(document.querySelector("[data-testid='fleet-result']")!);
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('staging'));
    await waitFor(() => expect(screen.getByTestId('panel-title').textContent).toBe('deploy-bot'));
  });

  it('says when no profile reaches the account a key belongs to', async () => {
    const KEY = 'ASIAIOSFODNN7EXAMPLE';
    const fake = fleet({
      searchEverywhere: () => ({ matches: [], failures: [], keyAccount: null }),
      findAccessKeyOwner: () => ({ keyId: KEY, found: null, account: '999999999999', failures: [], keyAccount: null }),
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByTestId('search-everywhere'));
    await search(KEY);
    await waitFor(() =>
      expect(screen.getByTestId('key-owner').textContent).toContain('no profile of account 999999999999'),
    );
    expect(screen.getByTestId('fleet-none')).toBeTruthy();
  });

  it("falls back on the search's own answer for a key's account when its owner cannot be asked", async () => {
    const KEY = 'AKIAIOSFODNN7EXAMPLE';
    const fake = fleet({
      searchEverywhere: () => ({ matches: [], failures: [], keyAccount: '999999999999' }),
      findAccessKeyOwner: () => {
        throw { code: 'AccessDenied', message: 'sts:GetAccessKeyInfo denied' };
      },
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByTestId('search-everywhere'));
    await search(KEY);
    await waitFor(() => expect(screen.getByTestId('key-owner').textContent).toContain('sts:GetAccessKeyInfo denied'));
    expect(screen.getByTestId('key-account').textContent).toContain('no profile of account 999999999999');
  });

  it('offers to connect a profile that needs a code', async () => {
    const fake = fleet({
      searchEverywhere: (_profiles, _query, channel) => {
        channel.onmessage({ profile: 'sandbox', state: { kind: 'needsMfa' } });
        return {
          matches: [],
          failures: [{ profile: 'sandbox', code: 'MfaRequired', message: 'needs a code' }],
          keyAccount: null,
        };
      },
    });
    render(App, { backend: fake.backend });
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));
    await fireEvent.click(screen.getByTestId('search-everywhere'));
    await search('x');
    await waitFor(() => expect(line('sandbox')?.textContent).toContain('needs MFA'));
    expect(line('prod')?.querySelector("[data-testid='fleet-connect']")).toBeNull();
    await fireEvent.click(line('sandbox')!.querySelector("[data-testid='fleet-connect']")!);
    expect(screen.queryByTestId('fleet-query')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('sandbox'));
  });

  it('recognises access key ids', () => {
    expect(isAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(isAccessKeyId(' ASIAIOSFODNN7EXAMPLE ')).toBe(true);
    expect(isAccessKeyId('AKIA123')).toBe(false);
    expect(isAccessKeyId('akiaiosfodnn7example')).toBe(false);
  });
});

describe('compare two accounts', () => {
  const DIFFERENT: AccountComparison = {
    accountA: ACCOUNT.prod,
    accountB: ACCOUNT.staging,
    groups: [
      { name: 'admins', side: 'OnlyInA', differences: [] },
      {
        name: 'developers',
        side: 'Different',
        differences: [{ kind: 'attachedPolicy', policy: 'ReadOnlyAccess', side: 'OnlyInB' }],
      },
    ],
    roles: [{ name: 'ci', side: 'Different', differences: [{ kind: 'trustPolicy' }] }],
    policies: [
      { name: 'boundary', side: 'OnlyInB', differences: [] },
      { name: 'deploy', side: 'Different', differences: [{ kind: 'document' }] },
    ],
    passwordPolicy: {
      aSet: true,
      bSet: false,
      changes: [{ field: 'minimumPasswordLength', before: '14', after: '8' }],
    },
  };

  const compareRows = () =>
    Array.from(document.querySelectorAll("[data-testid='compare-row']")).map(
      (r) => `${r.getAttribute('data-kind')}/${r.getAttribute('data-name')}/${r.getAttribute('data-status')}`,
    );

  it('lists what differs, by kind and status, and shows both documents of a policy that differs', async () => {
    const document_ = (effect: string) =>
      JSON.stringify(
        { Version: '2012-10-17', Statement: [{ Effect: effect, Action: 's3:*', Resource: '*' }] },
        null,
        2,
      );
    const fake = fleet({
      compareAccounts: () => DIFFERENT,
      // In staging the policy lives under a path: it is found by name.
      listPolicies: (p) =>
        p === 'staging'
          ? [
              {
                name: 'deploy',
                arn: 'arn:aws:iam::222222222222:policy/ci/deploy',
                path: '/ci/',
                awsManaged: false,
                attachments: 1,
                defaultVersion: 'v1',
                description: '',
                created: '',
                updated: '',
              },
            ]
          : [],
      getPolicy: (p, arn) => {
        if (arn === 'arn:aws:iam::222222222222:policy/deploy')
          throw { code: 'NoSuchEntity', message: 'no such policy' };
        return {
          summary: {} as never,
          versions: [{ id: 'v1', default: true, created: '', document: document_(p === 'prod' ? 'Allow' : 'Deny') }],
          entities: { users: [], groups: [], roles: [] },
          tags: [],
        };
      },
    });
    render(App, { backend: fake.backend });
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));
    await fireEvent.click(screen.getByTestId('compare-accounts'));
    expect((screen.getByTestId('compare-a') as HTMLSelectElement).value).toBe('prod');
    expect((screen.getByTestId('compare-b') as HTMLSelectElement).value).toBe('staging');
    await fireEvent.click(screen.getByTestId('compare-run'));
    expect(fake.calls.find((c) => c.cmd === 'compareAccounts')?.args).toEqual(['prod', 'staging']);

    await waitFor(() =>
      expect(compareRows()).toEqual([
        'group/admins/onlyInA',
        'group/developers/different',
        'policy/boundary/onlyInB',
        'policy/deploy/different',
        'role/ci/different',
        'passwordPolicy/minimumPasswordLength/different',
      ]),
    );
    const row = (name: string) => document.querySelector(`[data-testid='compare-row'][data-name='${name}']`)!;
    expect(row('admins').textContent).toContain('only in prod');
    expect(row('boundary').textContent).toContain('only in staging');
    expect(row('developers').textContent).toContain('managed policy ReadOnlyAccess attached only in staging');
    expect(row('ci').textContent).toContain('trust policy differs');
    expect(row('minimumPasswordLength').textContent).toContain('14');
    expect(screen.getByText(/staging sets no password policy/)).toBeTruthy();
    expect(screen.queryByTestId('compare-match')).toBeNull();

    await fireEvent.click(row('deploy').querySelector("[data-testid='compare-documents']")!);
    expect(await screen.findByTestId('policy-diff')).toBeTruthy();
    const reads = fake.calls.filter((c) => c.cmd === 'getPolicy').map((c) => c.args);
    expect(reads).toEqual([
      ['prod', 'arn:aws:iam::111111111111:policy/deploy'],
      ['staging', 'arn:aws:iam::222222222222:policy/deploy'],
      ['staging', 'arn:aws:iam::222222222222:policy/ci/deploy'],
    ]);
    expect(screen.getByTestId('policy-diff').textContent).toContain('Deny');
  });

  it('says the accounts match when nothing differs', async () => {
    const fake = fleet({
      compareAccounts: () => ({
        accountA: ACCOUNT.staging,
        accountB: ACCOUNT.sandbox,
        groups: [],
        roles: [],
        policies: [],
        passwordPolicy: { aSet: true, bSet: true, changes: [] },
      }),
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByTestId('compare-accounts'));
    await fireEvent.change(screen.getByTestId('compare-a'), { target: { value: 'staging' } });
    await fireEvent.change(screen.getByTestId('compare-b'), { target: { value: 'sandbox' } });
    await fireEvent.click(screen.getByTestId('compare-run'));
    expect(fake.calls.find((c) => c.cmd === 'compareAccounts')?.args).toEqual(['staging', 'sandbox']);
    expect((await screen.findByTestId('compare-match')).textContent).toContain('These accounts match');
    expect(compareRows()).toEqual([]);
  });

  it('shows a failure to compare', async () => {
    const fake = fleet({
      compareAccounts: () => {
        throw { code: 'MfaRequired', message: 'Profile staging needs a code from its MFA device' };
      },
    });
    render(App, { backend: fake.backend });
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));
    await fireEvent.click(screen.getByTestId('compare-accounts'));
    await fireEvent.click(screen.getByTestId('compare-run'));
    expect((await screen.findByText(/Profile staging needs a code from its MFA device/)).textContent).toBeTruthy();
    expect(screen.getByTestId('compare-needs-mfa')).toBeTruthy();
    // A failure across profiles does not disconnect the selected one.
    expect(screen.getByTestId('identity-profile').textContent).toBe('prod');
    expect(screen.queryByTestId('mfa-prompt')).toBeNull();
  });
});
