import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import CreatePolicy from './CreatePolicy.svelte';
import DeleteDialog from '../deletion/DeleteDialog.svelte';
import PoliciesView from './PoliciesView.svelte';
import PolicyPanel from './PolicyPanel.svelte';
import { Workspace } from '../workspace.svelte';
import type { Channel } from '@tauri-apps/api/core';
import type { DeletionProgress, PolicyDetail, PolicySummary, PolicyVersion, Validation } from '../bindings';
import { editorText, typeInEditor } from '../../test/editor';
import {
  callerIdentity,
  created,
  done,
  entityOf,
  fakeBackend,
  inventory,
  policy,
  updated,
  userRow,
} from '../../test/fakeBackend';

const ACCOUNT = '111111111111';

function summary(name: string, over: Partial<PolicySummary> = {}): PolicySummary {
  const awsManaged = over.awsManaged ?? false;
  return {
    name,
    arn: awsManaged ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    path: '/',
    awsManaged,
    attachments: 0,
    defaultVersion: 'v1',
    description: '',
    created: '2025-01-01T00:00:00Z',
    updated: '2025-01-01T00:00:00Z',
    ...over,
  };
}

function version(n: number, isDefault = false): PolicyVersion {
  return {
    id: `v${n}`,
    default: isDefault,
    created: `2025-0${n}-01T00:00:00Z`,
    document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b${n}/*"}]}`,
  };
}

/** Versions newest first, as the core lists them. */
function detail(name: string, versions: PolicyVersion[], over: Partial<PolicyDetail> = {}): PolicyDetail {
  const current = versions.find((v) => v.default)?.id ?? 'v1';
  return {
    summary: summary(name, { defaultVersion: current, attachments: 2 }),
    versions,
    entities: { users: ['ana'], groups: ['developers'], roles: [] },
    tags: [],
    ...over,
  };
}

const valid: Validation = { findings: [], size: 100, limit: 6144 };

function connected(fake: ReturnType<typeof fakeBackend>) {
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod', { account: ACCOUNT });
  return ws;
}

const rowNames = () => screen.queryAllByTestId('policy-row').map((r) => r.getAttribute('data-name'));
const countText = () => screen.getByTestId('policy-count').textContent?.replace(/\s+/g, ' ').trim();

describe('PoliciesView', () => {
  // moto serves 1,582 of AWS's; an account adds its own.
  const list = [
    ...Array.from({ length: 1582 }, (_, i) =>
      summary(`AWSPolicy${String(i).padStart(4, '0')}`, {
        awsManaged: true,
        attachments: i === 7 ? 3 : 0,
        description: i === 42 ? 'Grants access to the glacier vaults' : 'An AWS managed policy',
      }),
    ),
    ...Array.from({ length: 18 }, (_, i) =>
      summary(`team-${i}`, { attachments: i < 2 ? 1 : 0, description: i === 5 ? 'Reads the billing reports' : '' }),
    ),
  ];

  it('lists 1,600 policies, virtualised, and filters by scope, attachment and search', async () => {
    const fake = fakeBackend({ listPolicies: () => list });
    const ws = connected(fake);
    render(PoliciesView, { ws, onopen: () => {} });
    await waitFor(() => expect(countText()).toBe('1,600 policies, 18 customer-managed'));
    // Only a window of rows is in the DOM.
    expect(rowNames().length).toBeGreaterThan(0);
    expect(rowNames().length).toBeLessThan(100);

    await fireEvent.change(screen.getByTestId('policies-scope'), { target: { value: 'customer' } });
    await waitFor(() => expect(countText()).toBe('18 of 1,600 policies, 18 customer-managed'));
    expect(rowNames().every((n) => n?.startsWith('team-'))).toBe(true);

    await fireEvent.click(screen.getByTestId('policies-attached'));
    await waitFor(() => expect(rowNames()).toEqual(['team-0', 'team-1']));

    await fireEvent.change(screen.getByTestId('policies-scope'), { target: { value: 'aws' } });
    await waitFor(() => expect(rowNames()).toEqual(['AWSPolicy0007']));

    await fireEvent.click(screen.getByTestId('policies-attached'));
    await fireEvent.input(screen.getByTestId('policies-search'), { target: { value: 'GLACIER' } });
    await waitFor(() => expect(rowNames()).toEqual(['AWSPolicy0042']));

    await fireEvent.change(screen.getByTestId('policies-scope'), { target: { value: 'all' } });
    await fireEvent.input(screen.getByTestId('policies-search'), { target: { value: 'billing' } });
    await waitFor(() => expect(rowNames()).toEqual(['team-5']));

    // By ARN: the account id is only in the customer-managed policies' ARNs.
    await fireEvent.input(screen.getByTestId('policies-search'), { target: { value: `${ACCOUNT}:policy/team-5` } });
    await waitFor(() => expect(rowNames()).toEqual(['team-5']));
    expect(fake.calls.filter((c) => c.cmd === 'listPolicies')).toHaveLength(1);
  });

  it('sorts by attachments, most used first', async () => {
    const fake = fakeBackend({
      listPolicies: () => [
        summary('a', { attachments: 1 }),
        summary('b', { attachments: 12 }),
        summary('c', { attachments: 3 }),
      ],
    });
    render(PoliciesView, { ws: connected(fake), onopen: () => {} });
    await waitFor(() => expect(rowNames()).toEqual(['a', 'b', 'c']));
    await fireEvent.click(screen.getByRole('button', { name: /Attached to/ }));
    expect(rowNames()).toEqual(['b', 'c', 'a']);
  });

  it('says why the list could not be read, next to it', async () => {
    const fake = fakeBackend({
      listPolicies: () => {
        throw { code: 'AccessDenied', message: 'not allowed to iam:ListPolicies' };
      },
    });
    render(PoliciesView, { ws: connected(fake), onopen: () => {} });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('iam:ListPolicies'));
  });
});

describe('CreatePolicy', () => {
  it('keeps Create disabled while the validator reports errors, then opens the new policy', async () => {
    const fake = fakeBackend({
      validatePolicy: (document) =>
        document.includes('"Action": []')
          ? {
              ...valid,
              findings: [
                {
                  code: 'EMPTY_ACTION',
                  severity: 'error',
                  message: 'no action',
                  from: 0,
                  to: 1,
                  line: 1,
                  column: 1,
                },
              ],
            }
          : valid,
      createPolicy: (_profile, spec) => {
        const made = summary(spec.name, { path: spec.path });
        return done(made, created(policy(made.arn)));
      },
    });
    const ws = connected(fake);
    let opened = '';
    render(CreatePolicy, { ws, onclose: () => {}, oncreated: (arn: string) => (opened = arn) });
    await fireEvent.input(screen.getByTestId('new-policy-name'), { target: { value: 'ReadReports' } });
    await waitFor(() => expect(screen.getByTestId('new-policy-invalid')).toBeTruthy());
    expect((screen.getByTestId('create-policy-submit') as HTMLButtonElement).disabled).toBe(true);

    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    typeInEditor('new-policy-document', doc);
    await waitFor(() => expect((screen.getByTestId('create-policy-submit') as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(screen.getByTestId('create-policy-submit'));
    await waitFor(() => expect(opened).toBe(`arn:aws:iam::${ACCOUNT}:policy/ReadReports`));
    const sent = fake.calls.find((c) => c.cmd === 'createPolicy')?.args[1];
    expect(sent).toEqual({ name: 'ReadReports', path: '/', description: '', document: doc, tags: [] });
  });
});

describe('PolicyPanel', () => {
  const arn = `arn:aws:iam::${ACCOUNT}:policy/reports`;

  it('shows the default document and every version, newest first', async () => {
    const fake = fakeBackend({ getPolicy: () => detail('reports', [version(3), version(2, true), version(1)]) });
    render(PolicyPanel, { ws: connected(fake), arn, onclose: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('policy-version')).toHaveLength(3));
    expect(screen.getAllByTestId('policy-version').map((v) => v.getAttribute('data-version'))).toEqual([
      'v3',
      'v2',
      'v1',
    ]);
    const current = screen.getAllByTestId('policy-version')[1];
    expect(current.textContent).toContain('default');
    expect(within(current).queryByTestId('set-default')).toBeNull();
    expect(within(current).queryByTestId('delete-version')).toBeNull();
    expect(editorText('policy-document')).toContain('arn:aws:s3:::b2/*');
    expect(screen.getAllByTestId('policy-entity').map((e) => e.getAttribute('data-name'))).toEqual([
      'ana',
      'developers',
    ]);
  });

  it('compares any two versions side by side', async () => {
    const fake = fakeBackend({ getPolicy: () => detail('reports', [version(3), version(2, true), version(1)]) });
    render(PolicyPanel, { ws: connected(fake), arn, onclose: () => {} });
    await fireEvent.click(await screen.findByTestId('compare-versions'));
    // The newest version that is not the default against the default.
    await waitFor(() => expect(screen.getByTestId('policy-diff').textContent).toContain('b3/*'));
    expect(screen.getByTestId('policy-diff').textContent).toContain('b2/*');
    await fireEvent.change(screen.getByTestId('compare-left'), { target: { value: 'v1' } });
    await waitFor(() => expect(screen.getByTestId('policy-diff').textContent).toContain('b1/*'));
    expect(screen.getByTestId('policy-diff').textContent).not.toContain('b3/*');
  });

  it('sets a version as default after confirming, and reloads the page', async () => {
    let current = 2;
    const fake = fakeBackend({
      getPolicy: () => detail('reports', [version(3, current === 3), version(2, current === 2), version(1)]),
      setDefaultPolicyVersion: (_profile, arn, v) => {
        current = Number(v.slice(1));
        return updated(policy(arn));
      },
    });
    render(PolicyPanel, { ws: connected(fake), arn, onclose: () => {} });
    const v3 = await waitFor(() => screen.getAllByTestId('policy-version')[0]);
    await fireEvent.click(within(v3).getByTestId('set-default'));
    expect(screen.getByTestId('confirm-set-default').textContent).toContain(
      'AWS will use v3 from now on for every user, group and role it is attached to',
    );
    expect(fake.calls.some((c) => c.cmd === 'setDefaultPolicyVersion')).toBe(false);
    await fireEvent.click(screen.getByTestId('confirm-set-default-button'));
    await waitFor(() => expect(screen.getAllByTestId('policy-version')[0].textContent).toContain('default'));
    expect(fake.calls.find((c) => c.cmd === 'setDefaultPolicyVersion')?.args).toEqual(['prod', arn, 'v3']);
    expect(fake.calls.filter((c) => c.cmd === 'getPolicy')).toHaveLength(2);
  });

  it('refuses a sixth version before calling AWS, and offers to delete the oldest non-default first', async () => {
    // v1 is the default: the oldest one that may go is v2.
    let versions = [version(5), version(4), version(3), version(2), version(1, true)];
    const fake = fakeBackend({
      getPolicy: () => detail('reports', versions),
      validatePolicy: () => valid,
      deletePolicyVersion: (_profile, arn, id) => {
        versions = versions.filter((v) => v.id !== id);
        return updated(policy(arn));
      },
      createPolicyVersion: (_profile, arn) => {
        const v = { ...version(6), created: '2025-10-01T00:00:00Z' };
        versions = [v, ...versions];
        return done(v, updated(policy(arn)));
      },
    });
    render(PolicyPanel, { ws: connected(fake), arn, onclose: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('policy-version')).toHaveLength(5));
    await fireEvent.click(screen.getByTestId('new-version'));
    expect(screen.getByTestId('versions-full').textContent).toContain('v2');
    expect(editorText('new-version-document')).toContain('b1/*');
    expect((screen.getByTestId('new-version-default') as HTMLInputElement).checked).toBe(true);
    const button = screen.getByTestId('create-version') as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(button.textContent).toContain('Delete v2 (the oldest non-default) and create');
    const changes = () => fake.calls.filter((c) => c.cmd === 'deletePolicyVersion' || c.cmd === 'createPolicyVersion');
    expect(changes()).toEqual([]);

    await fireEvent.click(button);
    await waitFor(() => expect(screen.queryByTestId('new-version-form')).toBeNull());
    expect(changes().map((c) => [c.cmd, c.args[2]])).toEqual([
      ['deletePolicyVersion', 'v2'],
      // The default's document, as the editor was prefilled with it.
      ['createPolicyVersion', version(1).document],
    ]);
    expect(changes()[1].args[3]).toBe(true);
    await waitFor(() =>
      expect(screen.getAllByTestId('policy-version').map((v) => v.getAttribute('data-version'))).toEqual([
        'v6',
        'v5',
        'v4',
        'v3',
        'v1',
      ]),
    );
  });

  it('creates nothing when the oldest non-default version could not be deleted', async () => {
    const fake = fakeBackend({
      getPolicy: () => detail('reports', [version(5, true), version(4), version(3), version(2), version(1)]),
      validatePolicy: () => valid,
      deletePolicyVersion: () => {
        throw { code: 'AccessDenied', message: 'not allowed to iam:DeletePolicyVersion' };
      },
      createPolicyVersion: (_profile, arn) => done(version(6), updated(policy(arn))),
    });
    render(PolicyPanel, { ws: connected(fake), arn, onclose: () => {} });
    await fireEvent.click(await screen.findByTestId('new-version'));
    const button = screen.getByTestId('create-version') as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(button.textContent).toContain('Delete v1');
    await fireEvent.click(button);
    const form = screen.getByTestId('new-version-form');
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toContain('iam:DeletePolicyVersion'));
    expect(fake.calls.some((c) => c.cmd === 'createPolicyVersion')).toBe(false);
  });

  it('creates a version directly while there is room', async () => {
    const fake = fakeBackend({
      getPolicy: () => detail('reports', [version(2, true), version(1)]),
      validatePolicy: () => valid,
      createPolicyVersion: (_profile, arn) => done(version(3), updated(policy(arn))),
    });
    render(PolicyPanel, { ws: connected(fake), arn, onclose: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('policy-version')).toHaveLength(2));
    await fireEvent.click(screen.getByTestId('new-version'));
    expect(screen.queryByTestId('versions-full')).toBeNull();
    await waitFor(() => expect((screen.getByTestId('create-version') as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(screen.getByTestId('create-version'));
    await waitFor(() => expect(fake.calls.some((c) => c.cmd === 'createPolicyVersion')).toBe(true));
    expect(fake.calls.some((c) => c.cmd === 'deletePolicyVersion')).toBe(false);
  });

  it('detaches through the principals’ code path, after saying what the principal loses', async () => {
    const fake = fakeBackend({
      getPolicy: () => detail('reports', [version(1, true)]),
      detachPolicy: (_profile, principal, arn) => updated(entityOf(principal), policy(arn)),
      getGroupRow: () => null,
    });
    render(PolicyPanel, { ws: connected(fake), arn, onclose: () => {} });
    const group = await waitFor(() => screen.getAllByTestId('policy-entity')[1]);
    await fireEvent.click(within(group).getByTestId('detach'));
    expect(screen.getByTestId('confirm-detach').textContent).toContain('Every member of group developers loses');
    await fireEvent.click(screen.getByTestId('confirm-detach-button'));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.cmd === 'detachPolicy')?.args).toEqual([
        'prod',
        { kind: 'Group', name: 'developers' },
        arn,
      ]),
    );
  });

  it('attaches from the policy’s side through the same code path', async () => {
    const fake = fakeBackend({
      getPolicy: () => detail('reports', [version(1, true)]),
      listRoles: () => [],
      attachPolicy: (_profile, principal, arn) => updated(entityOf(principal), policy(arn)),
      getUserRow: (_profile, name) => userRow(name),
    });
    const ws = connected(fake);
    ws.inventory = inventory([userRow('ana'), userRow('ben')], ['developers']);
    render(PolicyPanel, { ws, arn, onclose: () => {} });
    await fireEvent.click(await screen.findByTestId('attach-policy'));
    const names = screen.getByTestId('attach-name') as HTMLSelectElement;
    // ana has it already.
    expect([...names.options].map((o) => o.value)).toEqual(['', 'ben']);
    await fireEvent.change(names, { target: { value: 'ben' } });
    await fireEvent.click(screen.getByTestId('attach-submit'));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.cmd === 'attachPolicy')?.args).toEqual([
        'prod',
        { kind: 'User', name: 'ben' },
        arn,
      ]),
    );
    await waitFor(() => expect(screen.queryByTestId('attach-form')).toBeNull());
  });

  it('shows AWS managed policies read-only', async () => {
    const awsArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    const fake = fakeBackend({
      getPolicy: () => ({
        ...detail('ReadOnlyAccess', [version(2, true), version(1)]),
        summary: summary('ReadOnlyAccess', { awsManaged: true }),
      }),
    });
    render(PolicyPanel, { ws: connected(fake), arn: awsArn, onclose: () => {} });
    await waitFor(() => expect(screen.getByTestId('aws-managed')).toBeTruthy());
    expect(screen.queryByTestId('new-version')).toBeNull();
    expect(screen.queryByTestId('delete-policy')).toBeNull();
    expect(screen.queryByTestId('set-default')).toBeNull();
    expect(screen.getByTestId('compare-versions')).toBeTruthy();
  });
});

describe('DeleteDialog for a policy', () => {
  const arn = `arn:aws:iam::${ACCOUNT}:policy/reports`;
  const target = { arn };

  it('shows the plan before deleting, reports the failed step, and runs again', async () => {
    let attempt = 0;
    const fake = fakeBackend({
      planDeletion: () => [
        {
          target,
          gone: false,
          warnings: [],
          steps:
            attempt === 0
              ? [
                  {
                    step: { action: 'detachFrom', principal: { kind: 'User', name: 'ana' } },
                    text: 'Detach from user ana',
                  },
                  { step: { action: 'deletePolicyVersion', id: 'v1' }, text: 'Delete version v1' },
                  { step: { action: 'delete' }, text: 'Delete the policy' },
                ]
              : [
                  { step: { action: 'deletePolicyVersion', id: 'v1' }, text: 'Delete version v1' },
                  { step: { action: 'delete' }, text: 'Delete the policy' },
                ],
        },
      ],
      runDeletion: (_profile, _targets, channel: Channel<DeletionProgress>) => {
        const say = (text: string) =>
          (channel as unknown as { onmessage: (m: DeletionProgress) => void }).onmessage({ target, text });
        attempt += 1;
        if (attempt === 1) {
          say('Detach from user ana');
          say('Delete version v1');
          return [
            {
              target,
              done: ['Detach from user ana'],
              failed: 'Delete version v1',
              error: { code: 'Throttling', message: 'Rate exceeded' },
              remaining: ['Delete the policy'],
              changed: [
                { entity: { kind: 'User', name: 'ana' }, how: { kind: 'Updated' } },
                { entity: { kind: 'Policy', arn }, how: { kind: 'Updated' } },
              ],
            },
          ];
        }
        say('Delete version v1');
        say('Delete the policy');
        return [
          {
            target,
            done: ['Delete version v1', 'Delete the policy'],
            failed: null,
            error: null,
            remaining: [],
            changed: [{ entity: { kind: 'Policy', arn }, how: { kind: 'Deleted' } }],
          },
        ];
      },
      getUserRow: () => null,
    });
    const ws = connected(fake);
    let closedPage = false;
    render(DeleteDialog, { ws, targets: [target], onclose: () => {}, ondeleted: () => (closedPage = true) });
    const plan = await screen.findByTestId('policy-deletion-plan');
    expect([...plan.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Detach from user ana',
      'Delete version v1',
      'Delete the policy',
    ]);
    const confirm = screen.getByTestId('confirm-delete-policy') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    expect(fake.calls.some((c) => c.cmd === 'runDeletion')).toBe(false);

    await fireEvent.input(screen.getByTestId('confirm-delete-policy-input'), { target: { value: 'reports' } });
    await fireEvent.click(confirm);
    const failed = await screen.findByTestId('policy-deletion-failed');
    expect(failed.textContent).toContain('“Delete version v1” failed.');
    expect(failed.textContent).toContain('Rate exceeded');
    expect(failed.textContent).toContain('Done: Detach from user ana');
    expect(failed.textContent).toContain('Not done yet: Delete the policy');
    // The user it was detached from reloads, though the deletion stopped.
    expect(fake.calls.some((c) => c.cmd === 'getUserRow' && c.args[1] === 'ana')).toBe(true);

    await fireEvent.click(screen.getByTestId('policy-deletion-again'));
    await screen.findByTestId('policy-deletion-done');
    expect(fake.calls.filter((c) => c.cmd === 'planDeletion')).toHaveLength(2);
    expect(fake.calls.filter((c) => c.cmd === 'runDeletion')).toHaveLength(2);
    await fireEvent.click(screen.getByTestId('policy-deletion-close'));
    expect(closedPage).toBe(true);
  });
});
