// A new installation has no AWS profile: the window says where it looked and how to add one,
// and reads the files again on request. Not an error, and no mention of the sandbox.
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import type { ProfileList } from '../bindings';
import { callerIdentity, fakeBackend, profileEntry, profileList, windowReads } from '../../test/fakeBackend';

const FILES = { configFile: '/home/ann/.aws/config', credentialsFile: '/home/ann/.aws/credentials' };

describe('no profiles', () => {
  it('names the files it read and the ways to add a profile, without an error', async () => {
    const fake = fakeBackend({ ...windowReads(), listProfiles: () => profileList([], FILES) });
    render(App, { backend: fake.backend });
    const empty = await screen.findByTestId('no-profiles');
    expect(screen.getByTestId('config-file').textContent).toBe('/home/ann/.aws/config');
    expect(screen.getByTestId('credentials-file').textContent).toBe('/home/ann/.aws/credentials');
    const text = empty.textContent ?? '';
    expect(text).toContain('aws configure --profile');
    expect(text).toContain('aws configure sso');
    expect(text).toContain('AWS_CONFIG_FILE');
    expect(text).not.toMatch(/sandbox/i);
    expect(screen.getByTestId('identity-status').textContent).toBe('No AWS profile yet.');
    expect(screen.queryByRole('alert')).toBeNull();
    // Nothing was selected, so nothing was asked of AWS.
    expect(fake.calls.filter((c) => c.cmd === 'connectProfile')).toEqual([]);
  });

  it('reads the files again on "Look again" and shows the profile that was added', async () => {
    let list: ProfileList = profileList([], FILES);
    const fake = fakeBackend({
      ...windowReads(),
      listProfiles: () => list,
      connectProfile: (p: string) => callerIdentity(p),
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByTestId('look-again'));
    expect((await screen.findByRole('status')).textContent).toContain('Still none');

    list = profileList([profileEntry('admin')], FILES);
    await fireEvent.click(screen.getByTestId('look-again'));
    await waitFor(() => expect(screen.queryByTestId('no-profiles')).toBeNull());
    expect(document.querySelector("button[data-profile='admin']")).not.toBeNull();
    expect(screen.getByTestId('identity-status').textContent).toBe('Select a profile to start.');
    expect(fake.calls.filter((c) => c.cmd === 'listProfiles').length).toBe(3);
  });
});
