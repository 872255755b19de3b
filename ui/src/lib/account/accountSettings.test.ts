// The account's settings: the alias (the Rust side's refusal next to the field), and the
// password policy, always sent whole, deleted after a confirmation, or brought to the CIS
// preset after a look at its before/after.
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import type { AccountPasswordPolicy, CisPasswordPolicy, PasswordPolicyState } from '../bindings';
import { Workspace } from '../workspace.svelte';
import AccountSettings from './AccountSettings.svelte';
import {
  accountSettings,
  callerIdentity,
  fakeBackend,
  passwordPolicy,
  updated,
  type Handlers,
} from '../../test/fakeBackend';

const DEFAULT_NOTE = 'Minimum 8 characters, at least three character types; passwords never expire.';
const CIS: CisPasswordPolicy = {
  policy: passwordPolicy({ minimumPasswordLength: 14, passwordReusePrevention: 24 }),
  changes: [
    { field: 'minimumPasswordLength', before: '8', after: '14' },
    { field: 'passwordReusePrevention', before: 'none', after: '24' },
  ],
};

function settings(handlers: Handlers = {}, start: { alias?: string | null; policy?: AccountPasswordPolicy } = {}) {
  let alias = start.alias ?? null;
  let policy: AccountPasswordPolicy | null = start.policy ?? null;
  const fake = fakeBackend({
    getAccountAlias: () => alias,
    setAccountAlias: (_p, a) => {
      if (a.startsWith('aws')) throw { code: 'InvalidInput', message: 'An alias cannot start with "aws".' };
      // The alias it has already changes nothing.
      if (alias === a) return [];
      alias = a;
      return updated(accountSettings);
    },
    removeAccountAlias: () => {
      if (alias === null) return [];
      alias = null;
      return updated(accountSettings);
    },
    getPasswordPolicy: (): PasswordPolicyState => ({ policy, default: passwordPolicy(), defaultNote: DEFAULT_NOTE }),
    updatePasswordPolicy: (_p, p) => {
      policy = p;
      return updated(accountSettings);
    },
    deletePasswordPolicy: () => {
      policy = null;
      return updated(accountSettings);
    },
    getCisPasswordPolicy: () => CIS,
    ...handlers,
  });
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod', { account: '111122223333' });
  return { fake, ws };
}

const calls = (fake: ReturnType<typeof fakeBackend>, cmd: string) =>
  fake.calls.filter((c) => c.cmd === cmd).map((c) => c.args);

describe('AccountSettings: the alias', () => {
  it('sets an alias, then shows it', async () => {
    const { fake, ws } = settings();
    await ws.account.loadAlias();
    render(AccountSettings, { ws });
    expect(screen.getByTestId('alias-current').textContent).toBe('No alias');
    expect(screen.getByTestId('alias-save').textContent).toBe('Set alias');
    await fireEvent.input(screen.getByTestId('alias-input'), { target: { value: 'acme-prod' } });
    await fireEvent.click(screen.getByTestId('alias-save'));
    await waitFor(() => expect(screen.getByTestId('alias-current').textContent).toBe('acme-prod'));
    expect(calls(fake, 'setAccountAlias')).toEqual([['prod', 'acme-prod']]);
    expect(ws.account.alias).toBe('acme-prod');
    expect(screen.getByTestId('alias-save').textContent).toBe('Change alias');
    await waitFor(() => expect((screen.getByTestId('alias-input') as HTMLInputElement).value).toBe(''));
  });

  it("hints AWS's rule, and shows the Rust side's refusal next to the field", async () => {
    const { ws } = settings();
    await ws.account.loadAlias();
    render(AccountSettings, { ws });
    await fireEvent.input(screen.getByTestId('alias-input'), { target: { value: 'Acme--' } });
    expect(screen.getByTestId('alias-hint').textContent).toContain('Only lowercase letters, digits and hyphens');
    await fireEvent.input(screen.getByTestId('alias-input'), { target: { value: 'aws-acme' } });
    expect(screen.getByTestId('alias-hint').classList.contains('field-error')).toBe(false);
    await fireEvent.click(screen.getByTestId('alias-save'));
    const error = await screen.findByTestId('alias-error');
    expect(error.textContent).toContain('An alias cannot start with "aws".');
    expect(error.querySelector('[data-code="InvalidInput"]')).toBeTruthy();
    expect(screen.getByTestId('alias-settings').contains(error)).toBe(true);
    expect(screen.getByTestId('alias-current').textContent).toBe('No alias');
  });

  it('removes the alias only after a confirmation', async () => {
    const { fake, ws } = settings({}, { alias: 'acme-prod' });
    await ws.account.loadAlias();
    render(AccountSettings, { ws });
    await fireEvent.click(screen.getByTestId('alias-remove'));
    const dialog = screen.getByRole('dialog', { name: 'Remove the account alias' });
    expect(dialog.textContent).toContain('https://111122223333.signin.aws.amazon.com/console');
    expect(calls(fake, 'removeAccountAlias')).toEqual([]);
    await fireEvent.click(within(dialog).getByTestId('alias-remove-confirm'));
    await waitFor(() => expect(screen.getByTestId('alias-current').textContent).toBe('No alias'));
    expect(calls(fake, 'removeAccountAlias')).toEqual([['prod']]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('AccountSettings: the password policy', () => {
  it("without a policy: says AWS's default applies and spells it out", async () => {
    const { ws } = settings();
    render(AccountSettings, { ws });
    const current = await screen.findByTestId('policy-current');
    expect(current.textContent).toContain("No password policy: AWS's default applies.");
    expect(current.textContent).toContain(DEFAULT_NOTE);
    expect(current.querySelector('[data-field="minimumPasswordLength"]')?.textContent).toBe('8 characters');
    expect(screen.queryByTestId('policy-delete')).toBeNull();
  });

  it('saves the complete policy, every field', async () => {
    const { fake, ws } = settings();
    render(AccountSettings, { ws });
    const min = await screen.findByTestId('policy-min-length');
    await fireEvent.input(min, { target: { value: '16' } });
    await fireEvent.input(screen.getByTestId('policy-max-age'), { target: { value: '90' } });
    await fireEvent.input(screen.getByTestId('policy-reuse'), { target: { value: '5' } });
    await fireEvent.click(screen.getByTestId('policy-symbols'));
    await fireEvent.click(screen.getByTestId('policy-allow-change'));
    await fireEvent.click(screen.getByTestId('policy-hard-expiry'));
    await fireEvent.click(screen.getByTestId('policy-save'));
    await waitFor(() => expect(calls(fake, 'updatePasswordPolicy').length).toBe(1));
    expect(calls(fake, 'updatePasswordPolicy')[0]).toEqual([
      'prod',
      {
        minimumPasswordLength: 16,
        requireSymbols: false,
        requireNumbers: true,
        requireUppercaseCharacters: true,
        requireLowercaseCharacters: true,
        allowUsersToChangePassword: false,
        maxPasswordAge: 90,
        passwordReusePrevention: 5,
        hardExpiry: true,
      },
    ]);
    // Read again: the new policy is the one shown.
    await waitFor(() =>
      expect(
        screen.getByTestId('policy-current').querySelector('[data-field="minimumPasswordLength"]')?.textContent,
      ).toBe('16 characters'),
    );
    expect(screen.getByTestId('policy-current').textContent).not.toContain("AWS's default applies");
  });

  it("refuses values outside AWS's ranges before sending", async () => {
    const { fake, ws } = settings({}, { policy: passwordPolicy({ maxPasswordAge: 90 }) });
    render(AccountSettings, { ws });
    await fireEvent.input(await screen.findByTestId('policy-min-length'), { target: { value: '5' } });
    expect((screen.getByTestId('policy-save') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('policy-min-length'), { target: { value: '128' } });
    await fireEvent.input(screen.getByTestId('policy-reuse'), { target: { value: '25' } });
    expect((screen.getByTestId('policy-save') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('policy-reuse'), { target: { value: '' } });
    await fireEvent.input(screen.getByTestId('policy-max-age'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('policy-save'));
    await waitFor(() => expect(calls(fake, 'updatePasswordPolicy').length).toBe(1));
    expect(calls(fake, 'updatePasswordPolicy')[0][1]).toMatchObject({
      minimumPasswordLength: 128,
      maxPasswordAge: null,
      passwordReusePrevention: null,
    });
  });

  it("deletes the policy only after a confirmation that says AWS's default will apply", async () => {
    const { fake, ws } = settings({}, { policy: passwordPolicy({ minimumPasswordLength: 12 }) });
    render(AccountSettings, { ws });
    await fireEvent.click(await screen.findByTestId('policy-delete'));
    const dialog = screen.getByRole('dialog', { name: 'Delete the password policy' });
    expect(dialog.textContent).toContain("AWS's default will apply");
    expect(calls(fake, 'deletePasswordPolicy')).toEqual([]);
    await fireEvent.click(within(dialog).getByTestId('policy-delete-confirm'));
    await waitFor(() => expect(screen.getByTestId('policy-current').textContent).toContain("AWS's default applies"));
    expect(calls(fake, 'deletePasswordPolicy')).toEqual([['prod']]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it("shows the CIS preset's before/after, and Apply sends the preset's policy", async () => {
    const { fake, ws } = settings();
    render(AccountSettings, { ws });
    await fireEvent.click(await screen.findByTestId('cis-preset'));
    const diff = await screen.findByTestId('cis-diff');
    const row = diff.querySelector('tr[data-field="minimumPasswordLength"]')!;
    expect(row.textContent).toContain('Minimum length');
    expect(row.querySelector('.before')?.textContent).toBe('8');
    expect(row.querySelector('.after')?.textContent).toBe('14');
    expect(diff.querySelector('tr[data-field="passwordReusePrevention"] .after')?.textContent).toBe('24');
    await fireEvent.click(screen.getByTestId('cis-apply'));
    await waitFor(() => expect(screen.queryByTestId('cis-diff')).toBeNull());
    expect(calls(fake, 'updatePasswordPolicy')).toEqual([['prod', CIS.policy]]);
    await waitFor(() =>
      expect(
        screen.getByTestId('policy-current').querySelector('[data-field="minimumPasswordLength"]')?.textContent,
      ).toBe('14 characters'),
    );
  });

  it('says when the preset changes nothing', async () => {
    const { fake, ws } = settings({ getCisPasswordPolicy: () => ({ policy: CIS.policy, changes: [] }) });
    render(AccountSettings, { ws });
    await fireEvent.click(await screen.findByTestId('cis-preset'));
    expect((await screen.findByTestId('cis-nothing')).textContent).toContain('Nothing to change');
    expect(screen.queryByTestId('cis-apply')).toBeNull();
    expect(calls(fake, 'updatePasswordPolicy')).toEqual([]);
  });

  it('opens the preset at once when asked (a finding), and clears the request when closed', async () => {
    const { ws } = settings();
    let preset = true;
    render(AccountSettings, {
      ws,
      get preset() {
        return preset;
      },
      set preset(v: boolean) {
        preset = v;
      },
    });
    expect(await screen.findByTestId('cis-diff')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('cis-diff')).toBeNull();
    expect(preset).toBe(false);
  });
});
