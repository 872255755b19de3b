import { render, screen, fireEvent, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { Backend } from './lib/backend';
import type { CallerIdentity, ProfileList, UserSummary } from './lib/bindings';

const ACCOUNTS: Record<string, { account: string; users: string[] }> = {
  prod: { account: '111111111111', users: ['alice', 'bob'] },
  staging: { account: '222222222222', users: ['qa.helen'] },
};

/** A fake backend whose answers the test releases one by one, to create races. */
function fakeBackend() {
  const pending: { profile: string; release: () => void }[] = [];
  const gate = (profile: string) => new Promise<void>((release) => pending.push({ profile, release }));
  const list: ProfileList = {
    profiles: [
      { name: 'prod', region: 'eu-west-1', kind: 'StaticKeys', roleArn: null, source: null, endpointUrl: null },
      { name: 'staging', region: null, kind: 'AssumeRole', roleArn: 'arn:aws:iam::2:role/x', source: 'prod', endpointUrl: null },
    ],
    preselected: null,
    problems: [{ file: '/home/a/.aws/credentials', message: 'this file cannot be read (line 3)' }],
    configFile: '/home/a/.aws/config',
    credentialsFile: '/home/a/.aws/credentials',
  };
  const backend: Backend = {
    appInfo: async () => ({ version: '0', sandbox: false }),
    listProfiles: async () => list,
    connectProfile: async (profile): Promise<CallerIdentity> => {
      await gate(profile);
      const a = ACCOUNTS[profile];
      return { profile, account: a.account, arn: `arn:aws:iam::${a.account}:user/admin`, userId: 'AIDA', region: 'us-east-1', endpointUrl: null };
    },
    listUsers: async (profile): Promise<UserSummary[]> => {
      await gate(profile);
      return ACCOUNTS[profile].users.map((name) => ({
        name, path: '/', arn: `arn:aws:iam::${ACCOUNTS[profile].account}:user/${name}`, userId: name, created: '2025-01-01T00:00:00Z',
      }));
    },
  };
  const release = async (profile: string) => {
    await waitFor(() => expect(pending.some((p) => p.profile === profile)).toBe(true));
    const i = pending.findIndex((p) => p.profile === profile);
    pending.splice(i, 1)[0].release();
  };
  return { backend, release };
}

const shownUsers = () => Array.from(document.querySelectorAll('tbody tr')).map((r) => r.getAttribute('data-user'));

describe('App', () => {
  it('lists profiles and file problems, then shows the selected account and its users', async () => {
    const { backend, release } = fakeBackend();
    render(App, { backend });
    const prod = await screen.findByRole('button', { name: /^prod/ });
    expect(screen.getByText(/cannot be read \(line 3\)/)).toBeTruthy();

    await fireEvent.click(prod);
    await release('prod');
    await release('prod');
    await waitFor(() => expect(shownUsers()).toEqual(['alice', 'bob']));
    expect(screen.getByTestId('identity-account').textContent).toBe('1111 1111 1111');
  });

  it('never shows an answer for the previous profile after a switch', async () => {
    const { backend, release } = fakeBackend();
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: /^prod/ }));
    await release('prod'); // connected to prod; its user list is still on its way
    await waitFor(() => expect(screen.getByTestId('identity-account').textContent).toBe('1111 1111 1111'));

    await fireEvent.click(screen.getByRole('button', { name: /^staging/ }));
    await release('prod'); // prod's late user list arrives after the switch
    await release('staging');
    await release('staging');
    await waitFor(() => expect(shownUsers()).toEqual(['qa.helen']));
    expect(screen.getByTestId('identity-account').textContent).toBe('2222 2222 2222');
    expect(document.body.textContent).not.toContain('alice');
  });
});
