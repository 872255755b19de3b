import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import type { CallerIdentity, IpcError, ProfileList } from '../bindings';
import { windowReads, profileEntry, fakeBackend, inventory, userRow, type Handlers } from '../../test/fakeBackend';
import { serialIn } from '../workspace.svelte';
import IdentityBar from './IdentityBar.svelte';

const SERIAL = 'arn:aws:iam::111111111111:mfa/admin';
// Local time, far ahead: the session lasts whenever the test runs.
const EXPIRES = '2099-11-24T14:05:00';

const profile = profileEntry;

function identity(profile: string, expires: string | null = null): CallerIdentity {
  const account = profile === 'prod' ? '111111111111' : '222222222222';
  return {
    profile,
    account,
    arn: `arn:aws:iam::${account}:user/admin`,
    userId: 'AIDA',
    region: 'us-east-1',
    endpointUrl: null,
    expires,
  };
}

/** prod needs a code from its device until one is entered ('123456' is the right one); staging does not. */
function guarded(more: Handlers = {}) {
  const state = { session: false };
  const list = (): ProfileList => ({
    profiles: [
      profile('prod', {
        mfaSerial: SERIAL,
        state: state.session ? { kind: 'mfaSession', expires: EXPIRES } : { kind: 'needsMfa' },
      }),
      profile('staging'),
    ],
    preselected: null,
    problems: [],
    configFile: '/home/a/.aws/config',
    credentialsFile: '/home/a/.aws/credentials',
  });
  const fake = fakeBackend({
    ...windowReads(),
    listProfiles: list,
    connectProfile: (p) => {
      if (p === 'prod' && !state.session)
        throw { code: 'MfaRequired', message: `Profile prod needs a code from MFA device ${SERIAL}` } as IpcError;
      return identity(p, p === 'prod' ? EXPIRES : null);
    },
    connectProfileWithMfa: (p, code) => {
      if (!/^\d{6}$/.test(code)) throw { code: 'InvalidInput', message: 'An MFA code is 6 digits.' } as IpcError;
      if (code !== '123456') throw { code: 'AccessDenied', message: 'MultiFactorAuthentication failed' } as IpcError;
      state.session = true;
      return identity(p, EXPIRES);
    },
    loadInventory: (p) => inventory([userRow(p === 'prod' ? 'alice' : 'helen')]),
    ...more,
  });
  return { fake, state };
}

const select = async (name: string) =>
  fireEvent.click(await screen.findByRole('button', { name: new RegExp(`^${name}`) }));

async function enter(code: string) {
  const input = screen.getByTestId('mfa-token') as HTMLInputElement;
  await fireEvent.input(input, { target: { value: code } });
  await fireEvent.click(screen.getByTestId('mfa-submit'));
}

describe('a profile that needs an MFA code', () => {
  it('is marked in the list, and connecting asks for a code, then goes on as any connection', async () => {
    const { fake } = guarded();
    render(App, { backend: fake.backend });
    await waitFor(() =>
      expect(document.querySelector("button[data-profile='prod'] [data-testid='profile-needs-mfa']")).toBeTruthy(),
    );
    expect(document.querySelector("button[data-profile='staging'] [data-testid='profile-needs-mfa']")).toBeNull();

    await select('prod');
    const prompt = await screen.findByTestId('mfa-prompt');
    expect(prompt.textContent).toContain('Profile prod needs a code from MFA device');
    expect(screen.getByTestId('mfa-serial').textContent).toBe(SERIAL);
    const input = screen.getByTestId('mfa-token');
    expect(input.getAttribute('inputmode')).toBe('numeric');
    expect(input.getAttribute('autocomplete')).toBe('one-time-code');
    // No connection error: a question.
    expect(document.querySelector('main [role="alert"]')).toBeNull();
    expect(screen.queryByTestId('identity')).toBeNull();

    await enter('123456');
    expect(fake.calls.filter((c) => c.cmd === 'connectProfileWithMfa').map((c) => c.args)).toEqual([
      ['prod', '123456'],
    ]);
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));
    expect(screen.queryByTestId('mfa-prompt')).toBeNull();
    expect(screen.getByTestId('identity-expires').textContent).toBe('MFA session until 14:05');
    await waitFor(() => expect(fake.calls.some((c) => c.cmd === 'loadInventory' && c.args[0] === 'prod')).toBe(true));
    expect(await screen.findByTestId('dashboard')).toBeTruthy();
    // The list now says until when the session lasts.
    await waitFor(() =>
      expect(
        document.querySelector("button[data-profile='prod'] [data-testid='profile-mfa-session']")?.textContent,
      ).toBe('until 14:05'),
    );
  });

  it("shows a wrong code's error next to the input, and keeps asking", async () => {
    const { fake } = guarded();
    render(App, { backend: fake.backend });
    await select('prod');
    await screen.findByTestId('mfa-prompt');
    await enter('999999');
    const error = await screen.findByTestId('mfa-error');
    expect(error.textContent).toContain('MultiFactorAuthentication failed');
    expect(error.querySelector('[data-code]')?.getAttribute('data-code')).toBe('AccessDenied');
    expect(screen.queryByTestId('identity')).toBeNull();
    expect(fake.calls.some((c) => c.cmd === 'loadInventory')).toBe(false);

    await enter('123456');
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));
    expect(screen.queryByTestId('mfa-error')).toBeNull();
  });

  it('Cancel leaves the profile unconnected, with a way to enter a code later', async () => {
    const { fake } = guarded();
    render(App, { backend: fake.backend });
    await select('prod');
    await screen.findByTestId('mfa-prompt');
    await fireEvent.click(screen.getByTestId('mfa-cancel'));
    expect(screen.queryByTestId('mfa-prompt')).toBeNull();
    expect(screen.getByTestId('mfa-needed').textContent).toContain('Enter a code to connect');
    expect(screen.queryByTestId('identity')).toBeNull();
    expect(fake.calls.some((c) => c.cmd === 'connectProfileWithMfa')).toBe(false);

    await fireEvent.click(screen.getByTestId('mfa-retry'));
    await enter('123456');
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));
  });

  it('switching to another profile while the prompt is open drops it, and a late answer too', async () => {
    const { fake } = guarded();
    render(App, { backend: fake.backend });
    await select('prod');
    await screen.findByTestId('mfa-prompt');
    fake.hold('connectProfileWithMfa');
    await enter('123456');
    // The prompt is modal; the palette switches profiles all the same.
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    await fireEvent.keyDown(screen.getByRole('textbox', { name: 'Profile name' }), { key: 'ArrowDown' });
    await fireEvent.keyDown(screen.getByRole('textbox', { name: 'Profile name' }), { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('staging'));
    expect(screen.queryByTestId('mfa-prompt')).toBeNull();

    expect(fake.release('connectProfileWithMfa', 'prod')).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('identity-profile').textContent).toBe('staging');
    expect(screen.queryByTestId('identity-expires')).toBeNull();
    expect(fake.calls.some((c) => c.cmd === 'loadInventory' && c.args[0] === 'prod')).toBe(false);
  });

  it('asks again when the session ends during later calls', async () => {
    const { fake, state } = guarded({
      getUser: () => {
        throw { code: 'MfaRequired', message: `The MFA session ended: a code from ${SERIAL} is needed` } as IpcError;
      },
    });
    render(App, { backend: fake.backend });
    await select('prod');
    await screen.findByTestId('mfa-prompt');
    await enter('123456');
    await waitFor(() => expect(screen.getByTestId('identity-profile').textContent).toBe('prod'));

    state.session = false;
    await fireEvent.click(screen.getByTestId('tab-users'));
    await fireEvent.click(await screen.findByText('alice'));
    expect(await screen.findByTestId('mfa-prompt')).toBeTruthy();
    expect(screen.queryByTestId('identity')).toBeNull();
    expect(screen.queryByTestId('session-expired')).toBeNull();
  });
});

describe('serialIn', () => {
  it("finds the device's ARN in a message", () => {
    expect(serialIn(`Profile prod needs a code from MFA device ${SERIAL}.`)).toBe(SERIAL);
    expect(serialIn('needs a code')).toBeNull();
  });
});

describe('the header', () => {
  it('says when an MFA session has ended', () => {
    render(IdentityBar, {
      identity: identity('prod', '2020-01-01T09:30:00'),
      selected: 'prod',
      connecting: false,
      sandbox: false,
    });
    const expires = screen.getByTestId('identity-expires');
    expect(expires.textContent).toBe('MFA session ended at 09:30');
    expect(expires.getAttribute('data-ended')).toBe('true');
  });

  it('says nothing of an expiry for credentials without one', () => {
    render(IdentityBar, { identity: identity('staging'), selected: 'staging', connecting: false, sandbox: false });
    expect(screen.getByTestId('identity-profile').textContent).toBe('staging');
    expect(screen.queryByTestId('identity-expires')).toBeNull();
  });
});
