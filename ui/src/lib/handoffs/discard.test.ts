// Deleting a key or a user whose secret still waits in the keychain asks whether to discard
// that handoff too; it is discarded only once the deletion succeeded.
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import type { Handoff, IpcError, Target } from '../bindings';
import { Workspace } from '../workspace.svelte';
import DeleteDialog from '../deletion/DeleteDialog.svelte';
import UserPanel from '../users/UserPanel.svelte';
import {
  accessKey,
  callerIdentity,
  deleted,
  fakeBackend,
  handoffList,
  inventory,
  updated,
  user,
  userRow,
  type Handlers,
} from '../../test/fakeBackend';

/** What deleting an access key answers. */
const keyDeleted: Handlers['deleteAccessKey'] = (_p, u, keyId) => [
  ...deleted(accessKey(u, keyId)),
  ...updated(user(u)),
];

const ACCOUNT = '111111111111';
const keyHandoff: Handoff = {
  account: ACCOUNT,
  user: 'ana',
  kind: 'SecretAccessKey',
  keyId: 'AKIA1',
  signInUrl: '',
  created: '2025-05-01T10:00:00Z',
  resetRequired: false,
};
const stagedPassword: Handoff = { ...keyHandoff, kind: 'ConsolePassword', keyId: 'staged-3', resetRequired: true };
// Another account's handoff of a user of the same name: never touched.
const elsewhere: Handoff = { ...keyHandoff, account: '222222222222', keyId: 'AKIA9' };
const FAILED: IpcError = { code: 'Throttling', message: 'Rate exceeded' };

function world(handlers: Handlers) {
  let pending = [keyHandoff, elsewhere];
  let unconfirmed = [{ handoff: stagedPassword, advice: 'Staged' }];
  const fake = fakeBackend({
    listHandoffs: () => handoffList({ pending, unconfirmed }),
    completeHandoff: (id) => {
      pending = pending.filter((h) => !(h.account === id.account && h.keyId === id.keyId));
      unconfirmed = unconfirmed.filter((u) => u.handoff.keyId !== id.keyId);
      return null;
    },
    getUserRow: (_p, name) => userRow(name),
    getGroupRow: () => null,
    listRotations: () => ({ rotations: [], notice: null }),
    listOrphanedMfaDevices: () => [],
    ...handlers,
  });
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod', { account: ACCOUNT });
  ws.inventory = inventory([userRow('ana'), userRow('bea')]);
  return { fake, ws };
}

const cmds = (fake: ReturnType<typeof fakeBackend>) => fake.calls.map((c) => c.cmd);
const completed = (fake: ReturnType<typeof fakeBackend>) =>
  fake.calls.filter((c) => c.cmd === 'completeHandoff').map((c) => c.args[0]);
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ');

describe('deleting an access key whose handoff is pending', () => {
  function page(deleteAccessKey: Handlers['deleteAccessKey']) {
    const { fake, ws } = world({
      getUser: (_p, name) => ({
        ...userRow(name),
        loginProfile: null,
        accessKeys: [
          {
            id: 'AKIA1',
            status: 'Inactive',
            created: '2025-05-01T10:00:00Z',
            lastUsed: null,
            lastUsedService: null,
            lastUsedRegion: null,
          },
          {
            id: 'AKIA2',
            status: 'Inactive',
            created: '2025-05-01T10:00:00Z',
            lastUsed: null,
            lastUsedService: null,
            lastUsedRegion: null,
          },
        ],
        mfaDevices: [],
        viaGroups: [],
        permissionsBoundary: null,
      }),
      deleteAccessKey,
    });
    render(UserPanel, {
      ws,
      name: 'ana',
      onclose: () => {},
      ondelete: () => {},
      onrenamed: () => {},
      onhandoff: () => {},
    });
    return { fake, ws };
  }
  const row = async (id: string) => (await screen.findByText(id)).closest('tr') as HTMLElement;

  it('asks, checked by default, and discards the handoff after the key is deleted', async () => {
    const { fake, ws } = page(keyDeleted);
    await ws.handoffs.load();
    await fireEvent.click(within(await row('AKIA1')).getByText('Delete…'));
    const ask = document.querySelector('[data-discard-for="AKIA1"]')!;
    expect(text(ask)).toContain('The secret of AKIA1 is still waiting in the keychain');
    const box = within(ask as HTMLElement).getByLabelText('Also discard the pending handoff of access key AKIA1');
    expect((box as HTMLInputElement).checked).toBe(true);
    expect(completed(fake)).toEqual([]);
    await fireEvent.click(screen.getByText('Delete AKIA1'));
    await waitFor(() =>
      expect(completed(fake)).toEqual([{ account: ACCOUNT, user: 'ana', kind: 'SecretAccessKey', keyId: 'AKIA1' }]),
    );
    const order = cmds(fake);
    expect(order.indexOf('deleteAccessKey')).toBeLessThan(order.indexOf('completeHandoff'));
    await waitFor(() => expect(ws.handoffs.of(ACCOUNT, 'ana', 'AKIA1')).toEqual([]));
  });

  it('keeps the handoff when the deletion fails', async () => {
    const { fake, ws } = page((p, u, keyId) => {
      if (keyId === 'AKIA1') throw FAILED;
      return keyDeleted!(p, u, keyId);
    });
    await ws.handoffs.load();
    await fireEvent.click(within(await row('AKIA1')).getByText('Delete…'));
    await fireEvent.click(screen.getByText('Delete AKIA1'));
    await waitFor(() => expect(screen.getByText(/Rate exceeded/)).toBeTruthy());
    expect(completed(fake)).toEqual([]);
    expect(ws.handoffs.of(ACCOUNT, 'ana', 'AKIA1')).toEqual([keyHandoff]);
  });

  it('is not asked for a key without a pending handoff', async () => {
    const { fake, ws } = page(keyDeleted);
    await ws.handoffs.load();
    await fireEvent.click(within(await row('AKIA2')).getByText('Delete…'));
    expect(document.querySelector('[data-discard-for]')).toBeNull();
    await fireEvent.click(screen.getByText('Delete AKIA2'));
    await waitFor(() => expect(cmds(fake)).toContain('deleteAccessKey'));
    expect(completed(fake)).toEqual([]);
  });

  it('keeps the handoff when "Also discard" is unchecked', async () => {
    const { fake, ws } = page(keyDeleted);
    await ws.handoffs.load();
    await fireEvent.click(within(await row('AKIA1')).getByText('Delete…'));
    await fireEvent.click(screen.getByTestId('discard-key-handoff'));
    await fireEvent.click(screen.getByText('Delete AKIA1'));
    await waitFor(() => expect(cmds(fake)).toContain('deleteAccessKey'));
    await waitFor(() => expect(cmds(fake)).toContain('getUserRow'));
    expect(completed(fake)).toEqual([]);
  });
});

describe('deleting a user whose handoffs are pending', () => {
  const nameOf = (target: Target) => ('arn' in target ? target.arn : target.name);
  const plan: Handlers['planDeletion'] = (_p, targets) =>
    targets.map((target) => ({
      target,
      gone: false,
      warnings: [],
      steps: [{ step: { action: 'delete' }, text: `Delete user ${nameOf(target)}` }],
    }));
  const outcome =
    (fails: string[]): Handlers['runDeletion'] =>
    (_p, targets) =>
      targets.map((target) => {
        const name = nameOf(target);
        return {
          target,
          done: fails.includes(name) ? [] : [`Delete user ${name}`],
          failed: fails.includes(name) ? `Delete user ${name}` : null,
          error: fails.includes(name) ? FAILED : null,
          remaining: [],
          changed: fails.includes(name) ? [] : [{ entity: { kind: 'User', name }, how: { kind: 'Deleted' } }],
        };
      });

  async function confirm(expected: string) {
    await fireEvent.input(await screen.findByTestId('confirm-delete-input'), { target: { value: expected } });
    await fireEvent.click(screen.getByTestId('confirm-delete'));
  }

  it("says so, checked by default, and discards all of the user's handoffs in the account once it is deleted", async () => {
    const { fake, ws } = world({ planDeletion: plan, runDeletion: outcome([]) });
    await ws.handoffs.load();
    render(DeleteDialog, { ws, targets: [{ kind: 'User', name: 'ana' }], onclose: () => {} });
    const ask = await screen.findByTestId('delete-handoffs');
    expect(text(ask)).toContain(
      'ana still has secrets waiting in the keychain to be handed over (access key AKIA1, staged console password)',
    );
    expect((screen.getByLabelText('Also discard the pending handoff of ana') as HTMLInputElement).checked).toBe(true);
    await confirm('ana');
    await screen.findByTestId('deletion-done');
    await waitFor(() => expect(document.querySelector('[data-discarded="ana"]')).toBeTruthy());
    expect(completed(fake)).toEqual([
      { account: ACCOUNT, user: 'ana', kind: 'SecretAccessKey', keyId: 'AKIA1' },
      { account: ACCOUNT, user: 'ana', kind: 'ConsolePassword', keyId: 'staged-3' },
    ]);
    const order = cmds(fake);
    expect(order.indexOf('runDeletion')).toBeLessThan(order.indexOf('completeHandoff'));
    expect(ws.handoffs.pending).toEqual([elsewhere]);
  });

  it('keeps the handoffs of a user whose deletion failed, and discards those of one deleted', async () => {
    const bea: Handoff = { ...keyHandoff, user: 'bea', keyId: 'AKIAB' };
    const { fake, ws } = world({
      planDeletion: plan,
      runDeletion: outcome(['ana']),
      listHandoffs: () => handoffList({ pending: [keyHandoff, bea] }),
    });
    await ws.handoffs.load();
    render(DeleteDialog, {
      ws,
      targets: [
        { kind: 'User', name: 'ana' },
        { kind: 'User', name: 'bea' },
      ],
      onclose: () => {},
    });
    await screen.findByTestId('delete-handoffs');
    await confirm('2');
    await waitFor(() => expect(screen.getByText(/Rate exceeded/)).toBeTruthy());
    await waitFor(() => expect(document.querySelector('[data-discarded="bea"]')).toBeTruthy());
    expect(text(document.querySelector('[data-kept="ana"]'))).toContain('The pending handoff of ana is kept');
    expect(completed(fake)).toEqual([{ account: ACCOUNT, user: 'bea', kind: 'SecretAccessKey', keyId: 'AKIAB' }]);
  });

  it('keeps them when the deletion cannot start, or when unchecked', async () => {
    const { fake, ws } = world({
      planDeletion: plan,
      runDeletion: () => {
        throw FAILED;
      },
    });
    await ws.handoffs.load();
    render(DeleteDialog, { ws, targets: [{ kind: 'User', name: 'ana' }], onclose: () => {} });
    await screen.findByTestId('delete-handoffs');
    await confirm('ana');
    await waitFor(() => expect(screen.getByText(/Rate exceeded/)).toBeTruthy());
    expect(completed(fake)).toEqual([]);

    const unchecked = world({ planDeletion: plan, runDeletion: outcome([]) });
    await unchecked.ws.handoffs.load();
    document.body.innerHTML = '';
    render(DeleteDialog, { ws: unchecked.ws, targets: [{ kind: 'User', name: 'ana' }], onclose: () => {} });
    await fireEvent.click(await screen.findByLabelText('Also discard the pending handoff of ana'));
    await confirm('ana');
    await screen.findByTestId('deletion-done');
    expect(completed(unchecked.fake)).toEqual([]);
  });
});
