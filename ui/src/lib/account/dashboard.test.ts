// The account's overview: identity with copy buttons, quota bars, what waits on this
// machine for the account, and the audit's counts and trend.
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Audit, Fix, Handoff } from '../bindings';
import { Workspace } from '../workspace.svelte';
import Dashboard from './Dashboard.svelte';
import { callerIdentity, accountSummary, audit, fakeBackend, handoffList, type Handlers } from '../../test/fakeBackend';

const ACCOUNT = '111122223333';
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

function handoff(account: string, user: string): Handoff {
  return {
    account,
    user,
    kind: 'SecretAccessKey',
    keyId: `AKIA${user.toUpperCase()}`,
    signInUrl: '',
    created: '2025-01-01T00:00:00Z',
    resetRequired: false,
  };
}

async function dashboard(handlers: Handlers = {}, alias: string | null = 'acme-prod') {
  const fake = fakeBackend({
    getAccountAlias: () => alias,
    getAccountSummary: () => accountSummary(),
    runAudit: () => audit(),
    listHandoffs: () => handoffList(),
    listRotations: () => ({ rotations: [], notice: null }),
    ...handlers,
  });
  const ws = new Workspace(fake.backend);
  ws.identity = {
    profile: 'prod',
    account: ACCOUNT,
    arn: `arn:aws:iam::${ACCOUNT}:user/admin`,
    userId: 'u',
    region: 'r',
    endpointUrl: null,
    expires: null,
  };
  await Promise.all([ws.account.loadAlias(), ws.handoffs.load(), ws.rotations.load()]);
  const onfix = vi.fn<(f: Fix) => void>();
  const onhandoff = vi.fn<(hs: Handoff[]) => void>();
  const onsection = vi.fn();
  render(Dashboard, { ws, onfix, onhandoff, onsection });
  return { fake, ws, onfix, onhandoff, onsection };
}

afterEach(() => vi.unstubAllGlobals());

describe('Dashboard', () => {
  it('shows the identity, and copies the account id without spaces', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    await dashboard();
    expect(screen.getByTestId('dashboard-account').textContent).toBe(ACCOUNT);
    expect(Array.from(screen.getByTestId('dashboard-account').children).map((g) => g.textContent)).toEqual([
      '1111',
      '2222',
      '3333',
    ]);
    expect(screen.getByTestId('dashboard-alias').textContent).toBe('acme-prod');
    expect(screen.getByTestId('dashboard-signin').textContent).toBe('https://acme-prod.signin.aws.amazon.com/console');

    await fireEvent.click(screen.getByTestId('copy-account'));
    expect(writeText).toHaveBeenCalledWith(ACCOUNT);
    await waitFor(() => expect(screen.getByTestId('copy-account').textContent).toBe('Copied'));
    await fireEvent.click(screen.getByTestId('copy-arn'));
    expect(writeText).toHaveBeenLastCalledWith(`arn:aws:iam::${ACCOUNT}:user/admin`);
    await fireEvent.click(screen.getByTestId('copy-alias'));
    expect(writeText).toHaveBeenLastCalledWith('acme-prod');
  });

  it('without an alias: says so, links to the settings, and signs in by account id', async () => {
    const { onsection } = await dashboard({}, null);
    expect(screen.getByTestId('dashboard-alias').textContent).toBe('No alias');
    expect(screen.queryByTestId('copy-alias')).toBeNull();
    expect(screen.getByTestId('dashboard-signin').textContent).toBe(`https://${ACCOUNT}.signin.aws.amazon.com/console`);
    await fireEvent.click(screen.getByTestId('set-alias-link'));
    expect(onsection).toHaveBeenCalledWith('settings');
  });

  it('shows the summary as quota bars, warning from 80 %', async () => {
    await dashboard({
      getAccountSummary: () => accountSummary({ users: { used: 4500, quota: 5000 }, roles: { used: 12, quota: 1000 } }),
    });
    const users = await screen.findByRole('meter', { name: 'Users' });
    expect(users.getAttribute('aria-valuenow')).toBe('4500');
    expect(users.getAttribute('aria-valuemax')).toBe('5000');
    expect(screen.getByTestId('quota-users-figures').textContent).toBe('4500 / 5000');
    expect(screen.getByTestId('quota-users').classList.contains('high')).toBe(true);
    expect(screen.getByTestId('quota-roles').classList.contains('high')).toBe(false);
    expect(screen.getByTestId('quota-roles-figures').textContent).toBe('12 / 1000');
    expect(screen.getByRole('meter', { name: 'Policy versions in use' })).toBeTruthy();
    expect(screen.getByRole('meter', { name: 'Server certificates' })).toBeTruthy();
  });

  it('shows the MFA devices as counts, not as a quota bar (AWS sets no quota on them)', async () => {
    await dashboard({ getAccountSummary: () => accountSummary({ mfaDevices: 2, mfaDevicesInUse: 2 }) });
    const mfa = await screen.findByTestId('summary-mfa');
    expect(mfa.textContent).toContain('MFA devices');
    expect(screen.getByTestId('summary-mfa-figures').textContent).toBe('2 · 2 assigned');
    expect(mfa.querySelector('[role=meter]')).toBeNull();
    expect(screen.queryByTestId('quota-mfa')).toBeNull();
    // Every bar is one of AWS's quotas.
    expect(screen.getAllByRole('meter').map((m) => m.getAttribute('aria-label'))).toEqual([
      'Users',
      'Groups',
      'Roles',
      'Customer managed policies',
      'Server certificates',
      'Policy versions in use',
    ]);
  });

  it("shows the summary's error where the bars would be", async () => {
    await dashboard({
      getAccountSummary: () => {
        throw { code: 'AccessDenied', message: 'not allowed: iam:GetAccountSummary' };
      },
    });
    const summary = screen.getByTestId('dashboard-summary');
    await waitFor(() => expect(summary.textContent).toContain('not allowed: iam:GetAccountSummary'));
    expect(screen.queryByRole('meter')).toBeNull();
  });

  it('runs the audit once and shows its counts and trend', async () => {
    const { fake, onsection } = await dashboard({
      runAudit: () =>
        audit({
          counts: { critical: 1, high: 2, medium: 0, low: 4 },
          trend: { previous: { critical: 0, high: 1, medium: 0, low: 4 }, previousAt: daysAgo(3) },
          warnings: ['No permission for the credential report.'],
        }),
    });
    await waitFor(() => expect(screen.getByTestId('audit-count-critical').textContent).toBe('1'));
    expect(screen.getByTestId('audit-count-high').textContent).toBe('2');
    expect(screen.getByTestId('audit-count-medium').textContent).toBe('0');
    expect(screen.getByTestId('audit-count-low').textContent).toBe('4');
    expect(screen.getByTestId('audit-trend').textContent).toBe('▲2 since 3 days ago');
    expect(screen.getByTestId('audit-trend').title).toContain('0 critical, 1 high, 0 medium, 4 low');
    expect(screen.getByTestId('audit-warnings').textContent).toContain('One check could not run');
    expect(fake.calls.filter((c) => c.cmd === 'runAudit').map((c) => c.args)).toEqual([['prod', true]]);
    await fireEvent.click(screen.getByTestId('see-findings'));
    expect(onsection).toHaveBeenCalledWith('audit');
  });

  it.each<[Partial<Audit>, string]>([
    [{ trend: null }, 'first audit of this profile'],
    [
      {
        counts: { critical: 0, high: 1, medium: 0, low: 0 },
        trend: { previous: { critical: 0, high: 1, medium: 0, low: 0 }, previousAt: daysAgo(0) },
      },
      'no change since today',
    ],
    [
      {
        counts: { critical: 0, high: 0, medium: 0, low: 0 },
        trend: { previous: { critical: 1, high: 1, medium: 1, low: 0 }, previousAt: daysAgo(1) },
      },
      '▼3 since yesterday',
    ],
  ])('says the trend: %#', async (over, text) => {
    await dashboard({ runAudit: () => audit(over) });
    await waitFor(() => expect(screen.getByTestId('audit-trend').textContent).toBe(text));
  });

  it('shows progress while the audit runs', async () => {
    const fake = fakeBackend({
      getAccountAlias: () => null,
      getAccountSummary: () => accountSummary(),
      runAudit: () => audit({ counts: { critical: 0, high: 0, medium: 3, low: 0 } }),
    });
    fake.hold('runAudit');
    const ws = new Workspace(fake.backend);
    ws.identity = callerIdentity('prod', { account: ACCOUNT });
    render(Dashboard, { ws, onfix: () => {}, onhandoff: () => {}, onsection: () => {} });
    expect(await screen.findByRole('progressbar', { name: 'Auditing' })).toBeTruthy();
    expect(fake.release('runAudit', 'prod')).toBe(true);
    await waitFor(() => expect(screen.getByTestId('audit-count-medium').textContent).toBe('3'));
    expect(screen.queryByRole('progressbar', { name: 'Auditing' })).toBeNull();
  });

  it("shows the audit's error", async () => {
    await dashboard({
      runAudit: () => {
        throw { code: 'AccessDenied', message: 'no credential report for you' };
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId('dashboard-audit').textContent).toContain('no credential report for you'),
    );
    expect(screen.queryByTestId('audit-count-critical')).toBeNull();
  });

  it("shows this account's pending handoffs and rotations, and opens them", async () => {
    const mine = [handoff(ACCOUNT, 'ana'), handoff(ACCOUNT, 'bo')];
    const { onhandoff, onfix } = await dashboard({
      listHandoffs: () => handoffList({ pending: [...mine, handoff('999999999999', 'zed')] }),
      listRotations: () => ({
        rotations: [
          {
            account: ACCOUNT,
            user: 'cy',
            oldKey: 'AKIAOLD',
            newKey: 'AKIANEW',
            step: 'DeactivateOld',
            started: '2025-05-01T00:00:00Z',
          },
          {
            account: '999999999999',
            user: 'zed',
            oldKey: 'AKIAZ',
            newKey: 'AKIAZ2',
            step: 'WaitForUse',
            started: '2025-05-01T00:00:00Z',
          },
        ],
        notice: null,
      }),
    });
    expect(screen.getByTestId('handoff-count').textContent).toBe('2');
    expect(screen.getByTestId('dashboard-handoffs').textContent).toContain('ana, bo');
    expect(screen.getByTestId('dashboard-waiting').textContent).not.toContain('zed');
    await fireEvent.click(screen.getByTestId('open-handoffs'));
    expect(onhandoff).toHaveBeenCalledWith(mine);
    await fireEvent.click(screen.getByTestId('rotation-open-cy'));
    expect(onfix).toHaveBeenCalledWith({ screen: 'rotateKey', user: 'cy' });
  });

  it('says when nothing waits', async () => {
    await dashboard();
    expect(screen.getByTestId('dashboard-handoffs').textContent).toContain('No secrets waiting');
    expect(screen.getByTestId('dashboard-rotations').textContent).toContain('No key rotations in progress');
  });
});
