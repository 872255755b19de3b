import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import type { CallerIdentity, IpcError, Profile, ProfileList, SsoProgress } from '../bindings';
import { windowReads, profileEntry, fakeBackend, inventory, userRow, type Handlers } from '../../test/fakeBackend';

function profile(name: string, over: Partial<Profile> = {}): Profile {
  return profileEntry(name, {
    region: 'eu-west-1',
    kind: 'Sso',
    roleArn: 'AdministratorAccess',
    source: 'corp',
    ...over,
  });
}

function identity(profile: string): CallerIdentity {
  return {
    profile,
    account: '111111111111',
    arn: 'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess/ana',
    userId: 'AROA',
    region: 'eu-west-1',
    endpointUrl: null,
    expires: null,
  };
}

/** `prod` is an SSO profile whose token expired until it is signed in again. */
function sso(
  finish: (onProgress: { onmessage: (p: SsoProgress) => void }) => Promise<null> | null,
  over: Handlers = {},
) {
  const state = { signedIn: false };
  const list = (): ProfileList => ({
    profiles: [
      profile('prod', {
        state: state.signedIn ? { kind: 'ready' } : { kind: 'ssoExpired', expired: '2026-11-24T08:00:00Z' },
      }),
      profile('broken-one', { kind: 'NoCredentials', state: { kind: 'broken', reason: 'role_arn without a source' } }),
    ],
    preselected: 'prod',
    problems: [],
    configFile: '/home/a/.aws/config',
    credentialsFile: '/home/a/.aws/credentials',
  });
  const fake = fakeBackend({
    ...windowReads(),
    listProfiles: list,
    connectProfile: (p) => {
      if (!state.signedIn)
        throw { code: 'NoCredentials', message: 'The SSO session of profile prod has expired.' } as IpcError;
      return identity(p);
    },
    startSsoSignIn: () => ({
      verificationUri: 'https://device.sso.eu-west-1.amazonaws.com/',
      verificationUriComplete: 'https://device.sso.eu-west-1.amazonaws.com/?user_code=WDKX-QLHT',
      userCode: 'WDKX-QLHT',
      expiresInSecs: 600,
      intervalSecs: 1,
      handle: 'h-1',
    }),
    finishSsoSignIn: async (_handle, onProgress) => {
      const r = await finish(onProgress as unknown as { onmessage: (p: SsoProgress) => void });
      state.signedIn = true;
      return r;
    },
    openSsoPage: () => null,
    cancelSsoSignIn: () => null,
    loadInventory: () => inventory([userRow('alice')]),
    ...over,
  });
  return { fake, state };
}

describe('an SSO profile whose session ended', () => {
  it('is marked in the list, signs in with the code shown, then connects', async () => {
    let approve: () => void = () => {};
    const { fake } = sso(
      (onProgress) =>
        new Promise((resolve) => {
          onProgress.onmessage({ kind: 'waiting', remaining: 540 });
          approve = () => {
            onProgress.onmessage({ kind: 'signedIn', expires: '2026-11-24T20:00:00Z' });
            resolve(null);
          };
        }),
    );
    render(App, { backend: fake.backend });
    expect((await screen.findByTestId('profile-sso-expired')).textContent).toContain('SSO expired');
    expect(screen.getByTestId('profile-broken').getAttribute('title')).toBe('role_arn without a source');
    // Connecting failed; the window offers the sign-in next to the error.
    await fireEvent.click(await screen.findByTestId('sso-sign-in-main'));
    expect((await screen.findByTestId('sso-user-code')).textContent).toContain('WDKX-QLHT');
    expect(screen.getByTestId('sso-verification-uri').textContent).toContain('user_code=WDKX-QLHT');
    await waitFor(() => expect(screen.getByTestId('sso-progress').textContent).toContain('9 more minutes'));
    expect(fake.calls.filter((c) => c.cmd === 'finishSsoSignIn').map((c) => c.args[0])).toEqual(['h-1']);
    // Nothing opens by itself: the address is shown, and the browser opens it on a click,
    // by handle (the address itself stays in Rust).
    expect(fake.calls.filter((c) => c.cmd === 'openSsoPage')).toEqual([]);
    await fireEvent.click(screen.getByTestId('sso-open-page'));
    expect(fake.calls.filter((c) => c.cmd === 'openSsoPage').map((c) => c.args)).toEqual([['h-1']]);

    approve();
    // Signed in: the dialog closes, the profiles are read again and the account loads.
    await waitFor(() => expect(screen.queryByTestId('sso-sign-in-dialog')).toBeNull());
    expect((await screen.findByTestId('identity-arn')).textContent).toContain('AWSReservedSSO_AdministratorAccess');
    expect(screen.queryByTestId('profile-sso-expired')).toBeNull();
    expect(fake.calls.filter((c) => c.cmd === 'connectProfile').length).toBe(2);
  });

  it('says why a sign-in failed and can try again', async () => {
    let fail = true;
    const { fake } = sso(() => {
      if (fail) throw { code: 'AccessDenied', message: 'The sign-in was denied in the browser.' } as IpcError;
      return null;
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByTestId('sso-sign-in'));
    const dialog = await screen.findByTestId('sso-sign-in-dialog');
    expect((await within(dialog).findByRole('alert')).textContent).toContain('denied in the browser');
    fail = false;
    await fireEvent.click(screen.getByTestId('sso-retry'));
    await waitFor(() => expect(screen.queryByTestId('sso-sign-in-dialog')).toBeNull());
    expect(fake.calls.filter((c) => c.cmd === 'startSsoSignIn').length).toBe(2);
  });
});

describe('closing the sign-in', () => {
  it('abandons it on the Rust side', async () => {
    const { fake } = sso(() => new Promise(() => {}));
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByTestId('sso-sign-in'));
    await screen.findByTestId('sso-user-code');
    await fireEvent.click(screen.getByRole('button', { name: /close/i }));
    await waitFor(() => expect(screen.queryByTestId('sso-sign-in-dialog')).toBeNull());
    expect(fake.calls.filter((c) => c.cmd === 'cancelSsoSignIn').map((c) => c.args)).toEqual([['h-1']]);
  });

  it('opens nothing and says why when the identity center names a page that is not its own', async () => {
    const why =
      'The identity center gave https://evil.example/login as the page to approve the sign-in on, but evil.example ' +
      'is not a host of AWS IAM Identity Center. Gatehouse does not open it.';
    const { fake } = sso(() => null, {
      startSsoSignIn: () => {
        throw { code: 'InvalidInput', message: why } as IpcError;
      },
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByTestId('sso-sign-in'));
    const dialog = await screen.findByTestId('sso-sign-in-dialog');
    expect((await within(dialog).findByRole('alert')).textContent).toContain('evil.example is not a host');
    expect(screen.queryByTestId('sso-open-page')).toBeNull();
    expect(fake.calls.filter((c) => c.cmd === 'openSsoPage')).toEqual([]);
    expect(fake.calls.filter((c) => c.cmd === 'finishSsoSignIn')).toEqual([]);
  });
});
