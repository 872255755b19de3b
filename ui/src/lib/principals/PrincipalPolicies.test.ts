import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import PrincipalPolicies from './PrincipalPolicies.svelte';
import PolicyDiff from '../policies/PolicyDiff.svelte';
import { Workspace } from '../workspace.svelte';
import { typeInEditor as type } from '../../test/editor';
import type { Principal } from '../bindings';
import PolicyPicker from '../policies/PolicyPicker.svelte';
import {
  callerIdentity,
  entityOf,
  fakeBackend,
  handoffList,
  inventory,
  policy,
  updated,
  userRow,
  type Handlers,
} from '../../test/fakeBackend';

const ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const DOC =
  '{\n  "Version": "2012-10-17",\n  "Statement": [{"Sid": "Logs", "Effect": "Allow", "Action": "logs:*", "Resource": "*"}]\n}';

function setup(handlers: Handlers, principal: Principal = { kind: 'User', name: 'ana' }) {
  const fake = fakeBackend({
    validatePolicy: (document) => ({ findings: [], size: document.length, limit: 2048 }),
    getInlinePolicy: () => DOC,
    getUserRow: (_p, name) => userRow(name),
    listHandoffs: () => handoffList(),
    listPolicies: () => [
      {
        name: 'ReadOnlyAccess',
        arn: ARN,
        path: '/',
        awsManaged: true,
        attachments: 1,
        defaultVersion: 'v1',
        description: 'Read-only access to every service.',
        created: '',
        updated: '',
      },
    ],
    ...handlers,
  });
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod');
  ws.inventory = inventory([userRow('ana')]);
  render(PrincipalPolicies, {
    ws,
    principal,
    attached: [ARN],
    inline: ['logs'],
  });
  return fake;
}

const called = (fake: ReturnType<typeof fakeBackend>, cmd: string) => fake.calls.some((c) => c.cmd === cmd);

describe('PrincipalPolicies', () => {
  it('asks before deleting an inline policy, shows the document, and deletes only once confirmed', async () => {
    const fake = setup({ deleteInlinePolicy: (_p, principal) => updated(entityOf(principal)) });
    await fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    const dialog = await screen.findByTestId('confirm-delete-inline');
    expect(dialog.textContent).toContain('AWS keeps no versions of inline policies: this cannot be undone');
    await waitFor(() =>
      expect(screen.getByTestId('delete-inline-document').querySelector('.cm-content')?.textContent).toContain(
        '"logs:*"',
      ),
    );
    expect(called(fake, 'deleteInlinePolicy')).toBe(false);
    await fireEvent.click(screen.getByTestId('confirm-delete-inline-button'));
    await waitFor(() => expect(screen.queryByTestId('confirm-delete-inline')).toBeNull());
    expect(fake.calls.find((c) => c.cmd === 'deleteInlinePolicy')?.args).toEqual([
      'prod',
      { kind: 'User', name: 'ana' },
      'logs',
    ]);
  });

  it('calls nothing when the deletion is cancelled', async () => {
    const fake = setup({ deleteInlinePolicy: (_p, principal) => updated(entityOf(principal)) });
    await fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    await screen.findByTestId('delete-inline-document');
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('confirm-delete-inline')).toBeNull();
    expect(called(fake, 'deleteInlinePolicy')).toBe(false);
  });

  it('asks before detaching, saying what access goes', async () => {
    const fake = setup({ detachPolicy: (_p, principal, arn) => updated(entityOf(principal), policy(arn)) });
    await fireEvent.click(screen.getByRole('button', { name: 'Detach…' }));
    const dialog = screen.getByTestId('confirm-detach');
    expect(dialog.textContent).toContain(ARN);
    expect(dialog.textContent).toContain('ana loses the permissions this policy grants');
    await waitFor(() => expect(dialog.textContent).toContain('Read-only access to every service.'));
    expect(called(fake, 'detachPolicy')).toBe(false);
    await fireEvent.click(screen.getByTestId('confirm-detach-button'));
    await waitFor(() => expect(called(fake, 'detachPolicy')).toBe(true));
    expect(fake.calls.find((c) => c.cmd === 'detachPolicy')?.args).toEqual([
      'prod',
      { kind: 'User', name: 'ana' },
      ARN,
    ]);
  });

  it('edits in the policy editor with the inline kind, and will not save while there are errors', async () => {
    const fake = setup({
      validatePolicy: (document) => ({
        findings: [
          { code: 'UNKNOWN_ACTION', severity: 'error', message: 'No such action.', from: 0, to: 1, line: 1, column: 1 },
        ],
        size: document.length,
        limit: 2048,
      }),
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await screen.findByTestId('inline-policy-editor');
    const save = screen.getByTestId('inline-policy-save');
    await waitFor(() => expect(screen.getByTestId('inline-policy-editor-summary').dataset.errors).toBe('1'));
    expect(save).toHaveProperty('disabled', true);
    expect(fake.calls.find((c) => c.cmd === 'validatePolicy')?.args).toEqual([DOC, 'UserInline']);
  });
});

describe('PrincipalPolicies: a new inline policy', () => {
  it('is saved under its name once the validator has no errors for it', async () => {
    let sent: unknown[] = [];
    setup({
      validatePolicy: (document) => ({
        findings: document.includes('"Action": []')
          ? [{ code: 'EMPTY_ACTION', severity: 'error', message: 'No action.', from: 0, to: 1, line: 1, column: 1 }]
          : [],
        size: document.length,
        limit: 2048,
      }),
      putInlinePolicy: (...args) => {
        sent = args;
        return updated(entityOf(args[1]));
      },
    });
    await fireEvent.click(screen.getByTestId('add-inline-policy'));
    await fireEvent.input(screen.getByTestId('inline-policy-name'), { target: { value: 'sqs' } });
    const save = screen.getByTestId('inline-policy-save');
    await waitFor(() => expect(screen.getByTestId('inline-policy-editor-summary').dataset.errors).toBe('1'));
    expect(save).toHaveProperty('disabled', true);
    type('inline-policy-editor', DOC);
    await waitFor(() => expect(screen.getByTestId('inline-policy-editor-summary').dataset.errors).toBe('0'));
    expect(save).toHaveProperty('disabled', false);
    await fireEvent.click(save);
    await waitFor(() => expect(sent).toEqual(['prod', { kind: 'User', name: 'ana' }, 'sqs', DOC]));
  });

  it('leaves the judgement to AWS when the validator fails', async () => {
    setup({ validatePolicy: () => Promise.reject({ code: 'Internal', message: 'catalogue missing' }) });
    await fireEvent.click(screen.getByTestId('add-inline-policy'));
    await fireEvent.input(screen.getByTestId('inline-policy-name'), { target: { value: 'sqs' } });
    await waitFor(() =>
      expect(screen.getByTestId('inline-policy-editor-summary').textContent).toContain('could not be checked'),
    );
    expect(screen.getByTestId('inline-policy-save')).toHaveProperty('disabled', false);
  });
});

describe('PrincipalPolicies for a role', () => {
  it('edits with the role inline kind and says who loses access on detach', async () => {
    const fake = setup({}, { kind: 'Role', name: 'deployer' });
    await fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await screen.findByTestId('inline-policy-editor');
    await waitFor(() => expect(fake.calls.find((c) => c.cmd === 'validatePolicy')?.args).toEqual([DOC, 'RoleInline']));
    await fireEvent.click(screen.getByRole('button', { name: 'Detach…' }));
    expect(screen.getByTestId('confirm-detach').textContent).toContain('deployer, and whoever assumes it, loses');
  });
});

describe('PolicyPicker', () => {
  it('shows what each policy is for', async () => {
    const fake = fakeBackend({
      listPolicies: () => [
        {
          name: 'ReadOnlyAccess',
          arn: ARN,
          path: '/',
          awsManaged: true,
          attachments: 1,
          defaultVersion: 'v1',
          description: 'Read-only access to every service.',
          created: '',
          updated: '',
        },
      ],
    });
    const ws = new Workspace(fake.backend);
    ws.identity = callerIdentity('prod');
    render(PolicyPicker, { ws });
    expect(await screen.findByText('Read-only access to every service.')).toBeTruthy();
  });
});

describe('PolicyDiff', () => {
  it('names the statements that changed', () => {
    const right = DOC.replace('logs:*', 'logs:Get*');
    render(PolicyDiff, { left: { label: 'v1', document: DOC }, right: { label: 'v2', document: right } });
    const names = screen.getAllByTestId('diff-statement').map((e) => [e.textContent, e.dataset.change]);
    expect(names).toEqual([['Logs', 'changed']]);
    expect(screen.getByTestId('policy-diff').querySelectorAll('tr[data-kind="changed"]')).toHaveLength(1);
  });

  it('falls back to lines when a side is not JSON', () => {
    render(PolicyDiff, { left: { label: 'a', document: '{' }, right: { label: 'b', document: DOC } });
    expect(screen.queryAllByTestId('diff-statement')).toHaveLength(0);
    expect(screen.getByTestId('policy-diff').textContent).toContain('not JSON');
  });
});
