import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import AccessView from './AccessView.svelte';
import EffectivePermissions from './EffectivePermissions.svelte';
import { Workspace } from '../workspace.svelte';
import type {
  AppliedPolicy,
  EffectivePermissions as Effective,
  ServiceAccess,
  Simulation,
  SimulationRequest,
  StatementAt,
  WhoCan,
} from '../bindings';
import { editorText } from '../../test/editor';
import { created, group, roleRow, fakeBackend, inventory, userRow, type Handlers } from '../../test/fakeBackend';
import { allActions, byAccess, groupPolicies, splitValues } from './format';

const READ_DOC = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadBucket', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' },
      {
        Sid: 'ListAll',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: '*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ],
  },
  null,
  2,
);
const DENY_DOC = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] },
  null,
  2,
);

function applied(id: string, name: string, document: string, over: Partial<AppliedPolicy> = {}): AppliedPolicy {
  return { id, name, arn: null, viaGroup: null, inline: true, boundary: false, document, ...over };
}

const READ = applied('p1', 'ReadData', READ_DOC);
const GUARD = applied('p2', 'NoIam', DENY_DOC, {
  inline: false,
  arn: 'arn:aws:iam::111111111111:policy/NoIam',
  viaGroup: 'devs',
});

/** Where a statement is in its document: from its Sid (or its Effect) to the end of its object. */
function at(policy: AppliedPolicy, marker: string, sid: string | null, index: number): StatementAt {
  const from = policy.document.indexOf(marker);
  const to = policy.document.indexOf('}', from);
  return { policy: policy.id, policyName: policy.name, viaGroup: policy.viaGroup, sid, index, from, to };
}

const SIMULATION: Simulation = {
  policies: [READ, GUARD],
  results: [
    {
      action: 's3:GetObject',
      decision: 'allowed',
      deciding: [at(READ, '"Sid": "ReadBucket"', 'ReadBucket', 0)],
      closest: null,
      reason: null,
      boundaryDenied: false,
    },
    {
      action: 'iam:CreateUser',
      decision: 'explicitDeny',
      deciding: [at(GUARD, '"Effect": "Deny"', null, 0)],
      closest: null,
      reason: null,
      boundaryDenied: false,
    },
    {
      action: 's3:ListBucket',
      decision: 'implicitDeny',
      deciding: [],
      closest: at(READ, '"Sid": "ListAll"', 'ListAll', 1),
      reason: 'Its condition needs aws:MultiFactorAuthPresent to be true; the request says false.',
      boundaryDenied: false,
    },
  ],
  outOfScope: 'Resource policies, SCPs and session policies are not considered.',
};

async function connected(handlers: Handlers = {}) {
  const fake = fakeBackend({
    connectProfile: (profile) => ({
      profile,
      account: '111111111111',
      arn: 'a',
      userId: 'u',
      region: 'eu-west-1',
      endpointUrl: null,
      expires: null,
    }),
    loadInventory: () => inventory([userRow('ana'), userRow('bob')]),
    listRoles: () => [roleRow('deploy')],
    loadAccessSnapshot: () => ({
      readAt: '2026-11-24T09:05:00Z',
      users: 2,
      groups: 1,
      roles: 1,
      policies: 7,
      calls: 3,
      warnings: [],
    }),
    listAccessPresets: () => [
      { id: 'iam-admin', title: 'Who can change IAM?', actions: ['iam:CreateUser', 'iam:AttachUserPolicy'] },
    ],
    completeActions: (prefix) =>
      ['s3:GetObject', 's3:GetObjectAcl']
        .filter((a) => a.startsWith(prefix))
        .map((name) => ({ name, accessLevel: 'Read', description: '' })),
    validatePolicy: () => ({ findings: [], size: 10, limit: 2048 }),
    ...handlers,
  });
  const ws = new Workspace(fake.backend);
  await ws.select('prod');
  return { fake, ws };
}

const called = (fake: ReturnType<typeof fakeBackend>, cmd: string) => fake.calls.filter((c) => c.cmd === cmd);

async function addAction(testid: string, action: string) {
  const input = screen.getByTestId(testid);
  await fireEvent.input(input, { target: { value: action } });
  await fireEvent.keyDown(input, { key: 'Enter' });
}

async function choosePrincipal(key: string) {
  const select = screen.getByTestId('sim-principal') as HTMLSelectElement;
  await waitFor(() => expect(select.querySelector('option[data-name="deploy"]')).not.toBeNull());
  await fireEvent.change(select, { target: { value: key } });
}

describe('AccessView: the simulator', () => {
  it('offers users and roles, sends the whole request and shows each decision with its deciding statements', async () => {
    let sent: SimulationRequest | null = null;
    const { fake, ws } = await connected({
      simulateAccess: (_p, request) => {
        sent = request;
        return SIMULATION;
      },
    });
    render(AccessView, { ws });
    await waitFor(() =>
      expect(screen.getByTestId('access-snapshot-info').textContent).toMatch(
        /Answers from a snapshot read at \d\d:\d\d \(2 users, 1 role, 7 policies\)/,
      ),
    );
    expect(called(fake, 'loadAccessSnapshot')).toHaveLength(1);

    await waitFor(() =>
      expect(
        [...screen.getByTestId('sim-principal').querySelectorAll('option[data-kind]')].map(
          (o) => `${o.getAttribute('data-kind')}/${o.getAttribute('data-name')}`,
        ),
      ).toEqual(['User/ana', 'User/bob', 'Role/deploy']),
    );
    expect(screen.getByTestId('sim-run')).toHaveProperty('disabled', true);
    await choosePrincipal('User/ana');

    // Completion from the catalogue, as in the policy editor.
    await fireEvent.input(screen.getByTestId('sim-action'), { target: { value: 's3:GetO' } });
    await waitFor(() => expect(screen.getAllByTestId('sim-action-suggestion')).toHaveLength(2));
    await fireEvent.mouseDown(within(screen.getAllByTestId('sim-action-suggestion')[0]).getByRole('button'));
    await addAction('sim-action', 'iam:CreateUser');
    // Typed but not added with Enter: Run takes it too.
    await fireEvent.input(screen.getByTestId('sim-action'), { target: { value: 's3:ListBucket' } });
    expect(screen.getAllByTestId('sim-action-chip').map((c) => c.dataset.action)).toEqual([
      's3:GetObject',
      'iam:CreateUser',
    ]);

    await fireEvent.input(screen.getByTestId('sim-resource'), { target: { value: ' arn:aws:s3:::data/report.csv ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'aws:MultiFactorAuthPresent' }));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByLabelText('Values of aws:MultiFactorAuthPresent')),
    );
    await fireEvent.input(screen.getByLabelText('Values of aws:MultiFactorAuthPresent'), {
      target: { value: 'false' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Other key' }));
    // A key still to be named is where typing goes next.
    await waitFor(() => expect(document.activeElement).toBe(screen.getAllByLabelText('Condition key').at(-1)));
    await fireEvent.click(screen.getByTestId('sim-run'));

    await waitFor(() => expect(screen.getAllByTestId('sim-result')).toHaveLength(3));
    expect(sent).toEqual({
      principal: { kind: 'User', name: 'ana' },
      actions: ['s3:GetObject', 'iam:CreateUser', 's3:ListBucket'],
      resource: 'arn:aws:s3:::data/report.csv',
      // The key left empty is not sent.
      context: [{ key: 'aws:MultiFactorAuthPresent', values: ['false'] }],
    });

    const result = (a: string) =>
      document.querySelector(`[data-testid="sim-result"][data-action="${a}"]`) as HTMLElement;
    expect(result('s3:GetObject').dataset.decision).toBe('allowed');
    expect(within(result('s3:GetObject')).getByTestId('sim-verdict').textContent).toContain('Allowed');
    expect(result('iam:CreateUser').dataset.decision).toBe('explicitDeny');
    expect(within(result('iam:CreateUser')).getByTestId('sim-verdict').textContent).toContain('Explicitly denied');
    expect(result('s3:ListBucket').dataset.decision).toBe('implicitDeny');
    expect(within(result('s3:ListBucket')).getByTestId('sim-verdict').textContent).toContain('Implicitly denied');

    const allow = within(result('s3:GetObject')).getByTestId('sim-deciding');
    expect(allow.dataset.policyName).toBe('ReadData');
    expect(allow.dataset.sid).toBe('ReadBucket');
    const deny = within(result('iam:CreateUser')).getByTestId('sim-deciding');
    expect(deny.dataset.policyName).toBe('NoIam');
    expect(deny.dataset.sid).toBe('');
    expect(deny.textContent).toContain('via group devs');
    expect(deny.textContent).toContain('statement 1');

    expect(screen.getByTestId('sim-out-of-scope').textContent).toContain(
      'Resource policies, SCPs and session policies are not considered.',
    );

    // The statement in its policy, read-only, its lines marked.
    await fireEvent.click(within(allow).getByRole('button', { name: 'Show in the policy' }));
    await waitFor(() => expect(editorText('sim-deciding-editor')).toBe(READ_DOC));
    expect(screen.getByTestId('sim-deciding-editor').querySelectorAll('.cm-gh-highlight').length).toBeGreaterThan(0);
  });

  it('shows an implicit deny with the closest statement and why it does not apply, and a boundary that denies', async () => {
    const closest = at(READ, '"Sid": "ListAll"', 'ListAll', 1);
    const { ws } = await connected({
      simulateAccess: () => ({
        policies: [READ],
        results: [
          {
            action: 's3:ListBucket',
            decision: 'implicitDeny',
            deciding: [],
            closest,
            reason: 'The request has no aws:MultiFactorAuthPresent.',
            boundaryDenied: false,
          },
          {
            action: 's3:GetObject',
            decision: 'implicitDeny',
            deciding: [],
            closest: null,
            reason: null,
            boundaryDenied: true,
          },
        ],
        outOfScope: 'SCPs are not considered.',
      }),
    });
    render(AccessView, { ws });
    await choosePrincipal('Role/deploy');
    await addAction('sim-action', 's3:ListBucket');
    await addAction('sim-action', 's3:GetObject');
    await fireEvent.click(screen.getByTestId('sim-run'));
    await waitFor(() => expect(screen.getAllByTestId('sim-result')).toHaveLength(2));

    const [list, get] = screen.getAllByTestId('sim-result');
    const near = within(list).getByTestId('sim-closest');
    expect(near.dataset.policyName).toBe('ReadData');
    expect(near.dataset.sid).toBe('ListAll');
    expect(within(list).getByTestId('sim-reason').textContent).toContain(
      'The request has no aws:MultiFactorAuthPresent.',
    );
    expect(within(list).queryByTestId('sim-deciding')).toBeNull();
    expect(within(get).getByTestId('sim-boundary-denied').textContent).toContain('permissions boundary does not');
    expect(within(get).queryByTestId('sim-closest')).toBeNull();
  });

  it('drops an answer that arrives after another profile is selected', async () => {
    const { fake, ws } = await connected({
      simulateAccess: () => SIMULATION,
      whoCan: () => [],
      loadInventory: (profile) => inventory(profile === 'prod' ? [userRow('ana')] : [userRow('carol')]),
    });
    render(AccessView, { ws });
    await choosePrincipal('User/ana');
    await addAction('sim-action', 's3:GetObject');
    await addAction('who-action', 's3:GetObject');
    fake.hold('simulateAccess');
    fake.hold('whoCan');
    await fireEvent.click(screen.getByTestId('sim-run'));
    await fireEvent.click(screen.getByTestId('who-run'));
    await waitFor(() => expect(called(fake, 'whoCan')).toHaveLength(1));

    await ws.select('staging');
    expect(fake.release('simulateAccess', 'prod')).toBe(true);
    expect(fake.release('whoCan', 'prod')).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(ws.access.simulation.answer).toBeNull();
    expect(ws.access.who.answer).toBeNull();
    expect(screen.queryByTestId('sim-result')).toBeNull();
    expect(screen.queryByTestId('who-result')).toBeNull();
    expect(screen.getByTestId('sim-run').textContent).toBe('Run');
    // Ana is prod's: the question cannot be asked of staging without choosing again.
    await waitFor(() => expect((screen.getByTestId('sim-principal') as HTMLSelectElement).value).toBe(''));
    expect(screen.getByTestId('sim-run')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('sim-principal').querySelector('option[data-name="carol"]')).not.toBeNull();
  });
});

describe('AccessView: who can do this?', () => {
  const grantRead: WhoCan = {
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::data/*',
    grants: [
      {
        principal: { kind: 'User', name: 'ana' },
        deciding: at(READ, '"Sid": "ReadBucket"', 'ReadBucket', 0),
        path: 'inline policy ReadData',
        paths: ['inline policy ReadData'],
      },
      {
        principal: { kind: 'Role', name: 'deploy' },
        deciding: { ...at(GUARD, '"Effect"', 'Ops', 0), policyName: 'OpsRead' },
        path: 'group ops, managed policy OpsRead',
        paths: ['group ops, managed policy OpsRead'],
      },
    ],
    evaluated: 240,
    millis: 12,
  };

  it('lists who is allowed, how, and how many of all; says so when nobody is', async () => {
    let asked: [string[], string | null] | null = null;
    const { ws } = await connected({
      whoCan: (_p, actions, resource) => {
        asked = [actions, resource];
        return [
          grantRead,
          { action: 'iam:PassRole', resource: 'arn:aws:s3:::data/*', grants: [], evaluated: 240, millis: 1400 },
        ];
      },
    });
    render(AccessView, { ws });
    await addAction('who-action', 's3:GetObject');
    await addAction('who-action', 'iam:PassRole');
    await fireEvent.input(screen.getByTestId('who-resource'), { target: { value: 'arn:aws:s3:::data/*' } });
    await fireEvent.click(screen.getByTestId('who-run'));
    await waitFor(() => expect(screen.getAllByTestId('who-result')).toHaveLength(2));
    expect(asked).toEqual([['s3:GetObject', 'iam:PassRole'], 'arn:aws:s3:::data/*']);

    const [read, pass] = screen.getAllByTestId('who-result');
    expect(within(read).getByTestId('who-count').textContent).toBe('2 of 240 principals');
    expect(read.textContent).toContain('12 ms');
    const grants = within(read).getAllByTestId('who-grant');
    expect(grants.map((g) => `${g.dataset.kind}/${g.dataset.name}`)).toEqual(['User/ana', 'Role/deploy']);
    expect(grants[0].textContent).toContain('inline policy ReadData');
    expect(grants[0].textContent).toContain('Sid "ReadBucket"');
    expect(grants[1].textContent).toContain('group ops, managed policy OpsRead');
    expect(grants[1].textContent).toContain('via group devs');

    expect(within(pass).queryByTestId('who-grant')).toBeNull();
    expect(within(pass).getByTestId('who-nobody').textContent?.replace(/\s+/g, ' ')).toContain(
      'Nobody in this account can iam:PassRole on arn:aws:s3:::data/*.',
    );
    expect(within(pass).getByTestId('who-count').textContent).toBe('0 of 240 principals');
    expect(pass.textContent).toContain('1.4 s');
  });

  it('asks a preset question with its actions, on any resource', async () => {
    const { fake, ws } = await connected({ whoCan: () => [] });
    render(AccessView, { ws });
    const preset = await screen.findByTestId('who-preset');
    expect(preset.dataset.preset).toBe('iam-admin');
    expect(preset.textContent).toBe('Who can change IAM?');
    await fireEvent.click(preset);
    await waitFor(() => expect(called(fake, 'whoCan')).toHaveLength(1));
    expect(called(fake, 'whoCan')[0].args).toEqual(['prod', ['iam:CreateUser', 'iam:AttachUserPolicy'], null]);
    expect(screen.getAllByTestId('who-action-chip').map((c) => c.dataset.action)).toEqual([
      'iam:CreateUser',
      'iam:AttachUserPolicy',
    ]);
  });
});

describe('EffectivePermissions', () => {
  const INLINE = applied('i1', 'ana-inline', READ_DOC);
  const MANAGED = applied('m1', 'AdministratorAccess', DENY_DOC, {
    inline: false,
    arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  });
  const FROM_GROUP = applied('g1', 'DevTools', READ_DOC, {
    inline: false,
    arn: 'arn:aws:iam::111111111111:policy/DevTools',
    viaGroup: 'devs',
  });
  const BOUNDARY = applied('b1', 'DevBoundary', READ_DOC, {
    inline: false,
    arn: 'arn:aws:iam::111111111111:policy/DevBoundary',
    boundary: true,
  });
  const service = (
    prefix: string,
    allowed: number,
    total: number,
    over: Partial<ServiceAccess> = {},
  ): ServiceAccess => ({
    prefix,
    name: `Service ${prefix}`,
    allowed,
    total,
    levels: [
      { level: 'Read', allowed, total },
      { level: 'Write', allowed: 0, total: 3 },
    ],
    resources: ['*'],
    denied: 0,
    conditional: false,
    fullAccess: false,
    ...over,
  });
  const EFFECTIVE: Effective = {
    principal: { kind: 'User', name: 'ana' },
    policies: [INLINE, MANAGED, FROM_GROUP],
    boundary: BOUNDARY,
    services: [
      service('s3', 10, 100, { conditional: true, denied: 2 }),
      service('iam', 200, 200, { fullAccess: true }),
    ],
    adminEquivalent: true,
  };

  it('stays closed until shown, then shows the policies by source, the admin badge and the services', async () => {
    const { fake, ws } = await connected({ getEffectivePermissions: () => EFFECTIVE });
    render(EffectivePermissions, { ws, principal: { kind: 'User', name: 'ana' } });
    expect(screen.queryByTestId('effective-policy')).toBeNull();
    expect(called(fake, 'getEffectivePermissions')).toHaveLength(0);

    await fireEvent.click(screen.getByTestId('effective-show'));
    await waitFor(() => expect(screen.getAllByTestId('effective-policy')).toHaveLength(4));
    expect(called(fake, 'getEffectivePermissions')[0].args).toEqual(['prod', { kind: 'User', name: 'ana' }]);
    expect(screen.getByTestId('admin-equivalent').textContent).toContain('Administrator equivalent');

    const groups = screen.getAllByTestId('effective-group');
    expect(groups.map((g) => g.dataset.title)).toEqual([
      'Inline policies',
      'Managed policies',
      'Through group devs',
      'Permissions boundary',
    ]);
    expect(screen.getAllByTestId('effective-policy').map((p) => `${p.dataset.name}|${p.dataset.via}`)).toEqual([
      'ana-inline|',
      'AdministratorAccess|',
      'DevTools|devs',
      'DevBoundary|',
    ]);

    // Most access first.
    const rows = screen.getAllByTestId('effective-service');
    expect(rows.map((r) => r.dataset.prefix)).toEqual(['iam', 's3']);
    expect(rows[0].textContent).toContain('full');
    expect(rows[1].textContent).toContain('10 / 100');
    expect(rows[1].textContent).toContain('conditional');
    expect(rows[1].textContent).toContain('2 actions');

    // Each policy viewable, read-only.
    const managed = screen.getAllByTestId('effective-policy')[1];
    await fireEvent.click(within(managed).getByRole('button', { name: 'View' }));
    await waitFor(() => expect(editorText('effective-policy-document')).toBe(DENY_DOC));
    expect(screen.getByRole('dialog', { name: 'AdministratorAccess' }).textContent).toContain(
      'arn:aws:iam::aws:policy/AdministratorAccess',
    );
  });

  it('reads the account again and reloads after a change to the principal', async () => {
    let admin = true;
    const { fake, ws } = await connected({ getEffectivePermissions: () => ({ ...EFFECTIVE, adminEquivalent: admin }) });
    render(EffectivePermissions, { ws, principal: { kind: 'User', name: 'ana' } });
    await fireEvent.click(screen.getByTestId('effective-show'));
    await screen.findByTestId('admin-equivalent');
    const snapshots = called(fake, 'loadAccessSnapshot').length;

    admin = false;
    ws.touch(ws.scope(), 'User', 'ana');
    await waitFor(() => expect(screen.queryByTestId('admin-equivalent')).toBeNull());
    expect(called(fake, 'getEffectivePermissions')).toHaveLength(2);
    expect(called(fake, 'loadAccessSnapshot')).toHaveLength(snapshots + 1);
    expect(screen.getByTestId('full-access').textContent).toContain('Service iam');
  });
});

describe('EffectivePermissions across profiles', () => {
  it("never shows the previous profile's answer", async () => {
    const admin: Effective = {
      principal: { kind: 'Role', name: 'deploy' },
      policies: [],
      boundary: null,
      services: [],
      adminEquivalent: true,
    };
    const { fake, ws } = await connected({
      getEffectivePermissions: (profile) => ({ ...admin, adminEquivalent: profile === 'prod' }),
    });
    render(EffectivePermissions, { ws, principal: { kind: 'Role', name: 'deploy' } });
    fake.hold('getEffectivePermissions');
    await fireEvent.click(screen.getByTestId('effective-show'));
    await waitFor(() => expect(called(fake, 'getEffectivePermissions')).toHaveLength(1));
    await ws.select('staging');
    expect(fake.release('getEffectivePermissions', 'prod')).toBe(true);
    await waitFor(() => expect(called(fake, 'getEffectivePermissions')).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('admin-equivalent')).toBeNull();
    expect(fake.release('getEffectivePermissions', 'staging')).toBe(true);
    await waitFor(() => expect(screen.getByText('No policies apply: the role may do nothing.')).toBeTruthy());
    expect(screen.queryByTestId('admin-equivalent')).toBeNull();
  });
});

describe('access/format', () => {
  it('groups policies by source with the boundary last, and sorts services by most access', () => {
    const own = applied('a', 'own', '{}');
    const viaA = applied('b', 'b', '{}', { viaGroup: 'A', inline: false });
    const viaA2 = applied('c', 'c', '{}', { viaGroup: 'A' });
    expect(groupPolicies([own, viaA, viaA2], null).map((g) => [g.title, g.policies.length])).toEqual([
      ['Inline policies', 1],
      ['Through group A', 2],
    ]);
    const s = (prefix: string, allowed: number, total: number, fullAccess = false): ServiceAccess => ({
      prefix,
      name: prefix,
      allowed,
      total,
      levels: [],
      resources: [],
      denied: 0,
      conditional: false,
      fullAccess,
    });
    expect(
      byAccess([s('a', 1, 10), s('b', 5, 10), s('c', 3, 3, true), s('d', 5, 5, true)]).map((x) => x.prefix),
    ).toEqual(['d', 'b', 'c', 'a']);
  });

  it('reads typed values and actions', () => {
    expect(splitValues(' 10.0.0.1, ,10.0.0.2 ')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(allActions(['s3:GetObject'], 's3:GetObject, iam:PassRole ')).toEqual(['s3:GetObject', 'iam:PassRole']);
  });
});

describe('the snapshot after a change', () => {
  it('is marked stale by any change made in the app, and fresh again once read', async () => {
    const { ws } = await connected({
      createGroup: (_p, name) => created(group(name)),
      getGroupRow: () => inventory([], ['ops']).groups[0],
    });
    await ws.access.load();
    expect(ws.access.stale).toBe(false);
    await ws.groups.create('ops', '/');
    expect(ws.access.stale).toBe(true);
    await ws.access.load();
    expect(ws.access.stale).toBe(false);
  });
});
