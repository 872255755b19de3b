import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it, vi } from 'vitest';
import AuditView from './AuditView.svelte';
import { Workspace } from '../workspace.svelte';
import type { Audit, AuditFinding, Fix } from '../bindings';
import { countOf } from '../account/account.svelte';
import { fixLabel, matches, reasonProblem } from './fix';
import { accountSettings, callerIdentity, fakeBackend, updated } from '../../test/fakeBackend';

function finding(id: string, over: Partial<AuditFinding> = {}): AuditFinding {
  return {
    id,
    check: id.split(':')[0],
    severity: 'High',
    entity: { kind: 'user', name: 'ana' },
    title: `title of ${id}`,
    why: `why ${id} matters`,
    cis: null,
    fix: { screen: 'mfaEnrol', user: 'ana' },
    acknowledged: null,
    ...over,
  };
}

const FINDINGS: AuditFinding[] = [
  finding('root-keys:Root', {
    check: 'root-keys',
    severity: 'Critical',
    entity: { kind: 'root' },
    title: 'The root user has an access key',
    cis: 'CIS 1.4',
    fix: { screen: 'rootConsole' },
  }),
  finding('user-console-no-mfa:User/ana', {
    check: 'user-console-no-mfa',
    title: 'ana can sign in to the console without MFA',
    cis: 'CIS 1.10',
  }),
  finding('key-old:User/bob', {
    check: 'key-old',
    severity: 'Medium',
    entity: { kind: 'user', name: 'bob' },
    title: "bob's access key is 200 days old",
    cis: 'CIS 1.14',
    fix: { screen: 'rotateKey', user: 'bob' },
  }),
  finding('role-trust-any:Role/ops', {
    check: 'role-trust-any',
    severity: 'Critical',
    entity: { kind: 'role', name: 'ops' },
    title: 'ops can be assumed by any AWS account',
    fix: { screen: 'roleTrust', role: 'ops' },
  }),
  finding('inline-admin:Group/devs/admin', {
    check: 'inline-admin',
    severity: 'Low',
    entity: { kind: 'inlinePolicy', principal: { kind: 'Group', name: 'devs' }, name: 'admin' },
    title: 'devs has an inline policy',
    fix: { screen: 'inlinePolicy', principal: { kind: 'Group', name: 'devs' }, name: 'admin' },
  }),
  finding('password-policy:PasswordPolicy', {
    check: 'password-policy',
    severity: 'Medium',
    entity: { kind: 'passwordPolicy' },
    title: 'The password policy is weaker than CIS',
    cis: 'CIS 1.8',
    fix: { screen: 'passwordPolicy', preset: true },
  }),
  finding('old-ack:User/cy', {
    check: 'old-ack',
    severity: 'Low',
    entity: { kind: 'user', name: 'cy' },
    title: 'cy has an unused password',
    fix: { screen: 'consoleAccess', user: 'cy' },
    acknowledged: { reason: 'break-glass account', at: '2026-01-01T00:00:00Z' },
  }),
];

function audit(findings = FINDINGS, over: Partial<Audit> = {}): Audit {
  return {
    findings,
    counts: countOf(findings),
    trend: null,
    ranAt: '2026-11-24T10:00:00Z',
    reportGenerated: '2026-11-24T09:58:00Z',
    calls: 5,
    warnings: [],
    ...over,
  };
}

function connected(fake: ReturnType<typeof fakeBackend>) {
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod');
  return ws;
}

const shownIds = () => screen.queryAllByTestId('finding').map((f) => f.getAttribute('data-finding'));
const row = (id: string) => {
  const el = document.querySelector<HTMLElement>(`[data-testid='finding'][data-finding='${id}']`);
  if (!el) throw new Error(`no finding ${id}`);
  return el;
};
const severityCount = (s: string) =>
  screen
    .getAllByTestId('audit-severity')
    .find((b) => b.getAttribute('data-severity') === s)!
    .querySelector('.count')!.textContent;

describe('the fix labels', () => {
  it('names every screen, and no button for the root user', () => {
    const fixes: [Fix, string | null][] = [
      [{ screen: 'mfaEnrol', user: 'a' }, 'Enrol MFA'],
      [{ screen: 'rotateKey', user: 'a' }, 'Rotate key'],
      [{ screen: 'accessKeys', user: 'a' }, 'Open access keys'],
      [{ screen: 'consoleAccess', user: 'a' }, 'Open console access'],
      [{ screen: 'userGroups', user: 'a' }, 'Open groups'],
      [{ screen: 'userPolicies', user: 'a' }, 'Open policies'],
      [{ screen: 'passwordPolicy', preset: true }, 'Edit password policy'],
      [{ screen: 'policy', arn: 'arn:aws:iam::1:policy/p' }, 'Open policy'],
      [{ screen: 'inlinePolicy', principal: { kind: 'User', name: 'a' }, name: 'p' }, 'Open inline policy'],
      [{ screen: 'roleTrust', role: 'r' }, 'Edit trust policy'],
      [{ screen: 'rootConsole' }, null],
    ];
    for (const [fix, label] of fixes) expect(fixLabel(fix)).toBe(label);
  });

  it('requires a reason of at most 500 characters', () => {
    expect(reasonProblem('')).toMatch(/why/);
    expect(reasonProblem('   ')).toMatch(/why/);
    expect(reasonProblem('x'.repeat(500))).toBeNull();
    expect(reasonProblem('x'.repeat(501))).toMatch(/500/);
  });

  it('filters by text over the entity, and hides acknowledged findings', () => {
    const f = FINDINGS[4];
    expect(matches(f, { severities: new Set(), text: 'DEVS', showAcknowledged: false })).toBe(true);
    expect(matches(f, { severities: new Set(['High']), text: '', showAcknowledged: false })).toBe(false);
    expect(matches(FINDINGS[6], { severities: new Set(), text: '', showAcknowledged: false })).toBe(false);
    expect(matches(FINDINGS[6], { severities: new Set(), text: 'break-glass', showAcknowledged: true })).toBe(true);
  });
});

describe('AuditView', () => {
  it('runs the audit on show and renders each finding with its severity, CIS control and fix', async () => {
    const fake = fakeBackend({ runAudit: () => audit() });
    const ws = connected(fake);
    render(AuditView, { ws, onfix: () => {} });

    await waitFor(() => expect(shownIds()).toHaveLength(6));
    expect(fake.calls.filter((c) => c.cmd === 'runAudit')).toEqual([{ cmd: 'runAudit', args: ['prod', true] }]);
    // The acknowledged one is hidden by default.
    expect(shownIds()).not.toContain('old-ack:User/cy');

    const ana = row('user-console-no-mfa:User/ana');
    expect(ana.getAttribute('data-severity')).toBe('High');
    expect(ana.getAttribute('data-check')).toBe('user-console-no-mfa');
    expect(within(ana).getByTestId('finding-severity').textContent).toBe('High');
    expect(within(ana).getByTestId('finding-cis').textContent).toBe('CIS 1.10');
    expect(within(ana).getByTestId('finding-fix').textContent).toBe('Enrol MFA');
    expect(ana.textContent).toContain('why user-console-no-mfa:User/ana matters');

    expect(within(row('key-old:User/bob')).getByTestId('finding-fix').textContent).toBe('Rotate key');
    expect(within(row('role-trust-any:Role/ops')).getByTestId('finding-fix').textContent).toBe('Edit trust policy');
    expect(within(row('role-trust-any:Role/ops')).queryByTestId('finding-cis')).toBeNull();
    expect(within(row('password-policy:PasswordPolicy')).getByTestId('finding-fix').textContent).toBe(
      'Edit password policy',
    );

    // The root user's console: an instruction, no button.
    const root = row('root-keys:Root');
    expect(within(root).queryByTestId('finding-fix')).toBeNull();
    expect(root.textContent).toContain('Sign in to the AWS console as the root user to fix this');

    expect(screen.getByTestId('audit-meta').textContent).toContain('credential report generated');
    expect(severityCount('Critical')).toBe('2');
    expect(severityCount('Low')).toBe('1');
  });

  it('calls onfix with the exact Fix', async () => {
    const fake = fakeBackend({ runAudit: () => audit() });
    const onfix = vi.fn();
    render(AuditView, { ws: connected(fake), onfix });
    await waitFor(() => expect(shownIds()).toHaveLength(6));

    await fireEvent.click(within(row('inline-admin:Group/devs/admin')).getByTestId('finding-fix'));
    expect(onfix).toHaveBeenCalledWith({
      screen: 'inlinePolicy',
      principal: { kind: 'Group', name: 'devs' },
      name: 'admin',
    });
    await fireEvent.click(within(row('password-policy:PasswordPolicy')).getByTestId('finding-fix'));
    expect(onfix).toHaveBeenLastCalledWith({ screen: 'passwordPolicy', preset: true });
    expect(onfix).toHaveBeenCalledTimes(2);
  });

  it('filters by severity and text', async () => {
    const fake = fakeBackend({ runAudit: () => audit() });
    render(AuditView, { ws: connected(fake), onfix: () => {} });
    await waitFor(() => expect(shownIds()).toHaveLength(6));

    const critical = screen.getAllByTestId('audit-severity').find((b) => b.dataset.severity === 'Critical')!;
    await fireEvent.click(critical);
    expect(shownIds()).toEqual(['root-keys:Root', 'role-trust-any:Role/ops']);
    await fireEvent.input(screen.getByTestId('audit-filter'), { target: { value: 'any AWS account' } });
    expect(shownIds()).toEqual(['role-trust-any:Role/ops']);
    await fireEvent.click(critical);
    await fireEvent.input(screen.getByTestId('audit-filter'), { target: { value: 'bob' } });
    expect(shownIds()).toEqual(['key-old:User/bob']);
  });

  it('acknowledges with a required reason: the finding leaves the default view and the counts', async () => {
    const fake = fakeBackend({
      runAudit: () => audit(),
      acknowledgeFinding: (_p, _f, reason) => ({ reason, at: '2026-11-24T10:05:00Z' }),
      unacknowledgeFinding: () => null,
    });
    render(AuditView, { ws: connected(fake), onfix: () => {} });
    await waitFor(() => expect(shownIds()).toHaveLength(6));
    expect(severityCount('Medium')).toBe('2');

    await fireEvent.click(within(row('key-old:User/bob')).getByTestId('finding-ack'));
    const save = screen.getByTestId('ack-save');
    await fireEvent.click(save);
    expect(screen.getByTestId('ack-problem').textContent).toMatch(/why/i);
    expect(fake.calls.some((c) => c.cmd === 'acknowledgeFinding')).toBe(false);

    await fireEvent.input(screen.getByTestId('ack-reason'), { target: { value: 'x'.repeat(501) } });
    expect(screen.getByTestId('ack-problem').textContent).toMatch(/500/);
    expect((screen.getByTestId('ack-save') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.input(screen.getByTestId('ack-reason'), { target: { value: 'CI key, rotated by vault' } });
    await fireEvent.click(screen.getByTestId('ack-save'));
    await waitFor(() => expect(screen.queryByTestId('ack-save')).toBeNull());
    expect(fake.calls.filter((c) => c.cmd === 'acknowledgeFinding')).toEqual([
      { cmd: 'acknowledgeFinding', args: ['prod', 'key-old:User/bob', 'CI key, rotated by vault'] },
    ]);
    expect(shownIds()).not.toContain('key-old:User/bob');
    expect(shownIds()).toHaveLength(5);
    expect(severityCount('Medium')).toBe('1');

    // Shown again, muted, with the reason and a way back.
    await fireEvent.click(screen.getByTestId('audit-show-ack'));
    expect(shownIds()).toContain('key-old:User/bob');
    expect(shownIds()).toContain('old-ack:User/cy');
    const bob = row('key-old:User/bob');
    expect(bob.classList.contains('acknowledged')).toBe(true);
    expect(within(bob).getByTestId('finding-ack-reason').textContent).toContain('CI key, rotated by vault');
    await fireEvent.click(within(bob).getByTestId('finding-unack'));
    await waitFor(() => expect(row('key-old:User/bob').classList.contains('acknowledged')).toBe(false));
    expect(fake.calls.filter((c) => c.cmd === 'unacknowledgeFinding')).toEqual([
      { cmd: 'unacknowledgeFinding', args: ['prod', 'key-old:User/bob'] },
    ]);
  });

  it('exports the findings shown, in the format asked, and says where', async () => {
    let answer: string | null = '/home/me/audit.csv';
    const fake = fakeBackend({ runAudit: () => audit(), saveAudit: () => answer });
    render(AuditView, { ws: connected(fake), onfix: () => {} });
    await waitFor(() => expect(shownIds()).toHaveLength(6));

    await fireEvent.input(screen.getByTestId('audit-filter'), { target: { value: 'ana' } });
    await fireEvent.click(screen.getByTestId('audit-export-csv'));
    await waitFor(() => expect(screen.getByTestId('audit-saved').textContent).toContain('/home/me/audit.csv'));
    const [csv] = fake.calls.filter((c) => c.cmd === 'saveAudit');
    expect(csv.args.slice(0, 3)).toEqual(['prod', 'Csv', '2026-11-24T10:00:00Z']);
    expect((csv.args[3] as AuditFinding[]).map((f) => f.id)).toEqual(['user-console-no-mfa:User/ana']);

    // Cancelled: nothing said.
    answer = null;
    await fireEvent.input(screen.getByTestId('audit-filter'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('audit-export-md'));
    await waitFor(() => expect(fake.calls.filter((c) => c.cmd === 'saveAudit')).toHaveLength(2));
    const md = fake.calls.filter((c) => c.cmd === 'saveAudit')[1];
    expect(md.args[1]).toBe('Markdown');
    expect((md.args[3] as AuditFinding[]).map((f) => f.id)).toEqual(shownIds());
    await waitFor(() => expect(screen.queryByTestId('audit-saved')).toBeNull());
  });

  it('says the audit is stale after a change, and runs it again', async () => {
    let n = 0;
    let alias = 'prod-alias';
    const fake = fakeBackend({
      runAudit: () => audit(n++ ? FINDINGS.slice(1, 2) : FINDINGS),
      setAccountAlias: (_p, a) => ((alias = a), updated(accountSettings)),
      getAccountAlias: () => alias,
    });
    const ws = connected(fake);
    render(AuditView, { ws, onfix: () => {} });
    await waitFor(() => expect(shownIds()).toHaveLength(6));
    expect(screen.queryByTestId('audit-stale')).toBeNull();
    expect(screen.getByTestId('audit-refresh').classList.contains('primary')).toBe(false);

    await ws.account.setAlias('prod-new');
    await waitFor(() => expect(screen.getByTestId('audit-stale').textContent).toContain('Changes were made'));
    expect(screen.getByTestId('audit-refresh').classList.contains('primary')).toBe(true);

    await fireEvent.click(screen.getByTestId('audit-refresh'));
    await waitFor(() => expect(shownIds()).toEqual(['user-console-no-mfa:User/ana']));
    expect(screen.queryByTestId('audit-stale')).toBeNull();
    // Only the first audit of a selection moves the trend's baseline.
    expect(fake.calls.filter((c) => c.cmd === 'runAudit').map((c) => c.args[1])).toEqual([true, false]);
  });

  it('shows progress while running, an error, warnings, and a calm empty state', async () => {
    const fake = fakeBackend({
      runAudit: () => audit([], { warnings: ['The credential report could not be read: AccessDenied'] }),
    });
    fake.hold('runAudit');
    render(AuditView, { ws: connected(fake), onfix: () => {} });
    await waitFor(() => expect(screen.getByTestId('audit-running').textContent).toContain('authorization details'));
    fake.release('runAudit', 'prod');
    await waitFor(() => expect(screen.getByTestId('audit-empty')).toBeTruthy());
    expect(screen.queryByTestId('audit-running')).toBeNull();
    expect(screen.getByTestId('audit-warnings').textContent).toContain('AccessDenied');

    const failing = fakeBackend({
      runAudit: () => {
        throw { code: 'AccessDenied', message: 'not allowed to GetAccountAuthorizationDetails' };
      },
    });
    render(AuditView, { ws: connected(failing), onfix: () => {} });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('GetAccountAuthorizationDetails'));
    // Not retried by itself.
    expect(failing.calls.filter((c) => c.cmd === 'runAudit')).toHaveLength(1);
  });

  it('lists a large audit a page at a time, and exports all the findings shown', async () => {
    const many = Array.from({ length: 450 }, (_, i) =>
      finding(`user-no-mfa:User/u${i}`, { entity: { kind: 'user', name: `u${i}` } }),
    );
    const fake = fakeBackend({ runAudit: () => audit(many), saveAudit: () => '/tmp/a.md' });
    render(AuditView, { ws: connected(fake), onfix: () => {} });
    await waitFor(() => expect(shownIds()).toHaveLength(200));
    expect(severityCount('High')).toBe('450');
    await fireEvent.click(screen.getByTestId('audit-more'));
    expect(shownIds()).toHaveLength(400);
    await fireEvent.click(screen.getByTestId('audit-more'));
    expect(shownIds()).toHaveLength(450);
    expect(screen.queryByTestId('audit-more')).toBeNull();

    await fireEvent.input(screen.getByTestId('audit-filter'), { target: { value: 'u1' } });
    expect(shownIds()).toHaveLength(111);
    await fireEvent.click(screen.getByTestId('audit-export-md'));
    await waitFor(() => expect(screen.getByTestId('audit-saved')).toBeTruthy());
    const [md] = fake.calls.filter((c) => c.cmd === 'saveAudit');
    expect((md.args[3] as AuditFinding[]).length).toBe(111);
  });
});
