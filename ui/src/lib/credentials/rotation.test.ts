// The rotation wizard's last two steps are the Rust side's: deactivating the old key records
// when, and deleting it is refused while AWS says it is active again or was used since.
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import type { IpcError, Rotation } from '../bindings';
import { Workspace } from '../workspace.svelte';
import RotateKey from './RotateKey.svelte';
import {
  accessKey,
  callerIdentity,
  deleted,
  done,
  fakeBackend,
  inventory,
  updated,
  user,
  userRow,
} from '../../test/fakeBackend';

const ACCOUNT = '111111111111';
const REFUSAL =
  'Access key AKIAOLD was not deleted: AWS says it was last used at 2025-05-02T10:00:00Z, after this rotation deactivated it (2025-05-01T10:00:00Z).';

/** A rotation of ana's key at `step`; `refusal` answers deleteOldKey: an error, or null to delete. */
function rotating(step: Rotation['step'], refusal: () => IpcError | null) {
  let rotation: Rotation | null = {
    account: ACCOUNT,
    user: 'ana',
    oldKey: 'AKIAOLD',
    newKey: 'AKIANEW',
    step,
    started: '2025-05-01T09:00:00Z',
    deactivated: step === 'DeleteOld' ? '2025-05-01T10:00:00Z' : null,
  };
  const fake = fakeBackend({
    listRotations: () => ({ rotations: rotation ? [rotation] : [], notice: null }),
    planRotation: () => ({ keys: [], removeFirst: null }),
    deactivateOldKey: () => {
      rotation = { ...rotation!, step: 'DeleteOld', deactivated: '2025-05-03T08:00:00Z' };
      return done(rotation, updated(accessKey('ana', 'AKIAOLD'), user('ana')));
    },
    deleteOldKey: () => {
      const refused = refusal();
      if (refused) throw refused;
      rotation = null;
      return [...deleted(accessKey('ana', 'AKIAOLD')), ...updated(user('ana'))];
    },
    getUserRow: (_p, name) => userRow(name),
  });
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod', { account: ACCOUNT });
  ws.inventory = inventory([userRow('ana')]);
  return { fake, ws };
}

const calls = (fake: ReturnType<typeof fakeBackend>, cmd: string) =>
  fake.calls.filter((c) => c.cmd === cmd).map((c) => c.args);

describe('RotateKey', () => {
  it('deactivates the old key through the core command', async () => {
    const { fake, ws } = rotating('DeactivateOld', () => null);
    await ws.rotations.load();
    render(RotateKey, { ws, user: 'ana', onclose: () => {}, onhandoff: () => {} });
    await fireEvent.click(await screen.findByTestId('rotation-deactivate'));
    await screen.findByTestId('rotation-delete');
    expect(calls(fake, 'deactivateOldKey')).toEqual([['prod', ACCOUNT, 'ana']]);
    expect(calls(fake, 'setAccessKeyStatus')).toEqual([]);
    expect(calls(fake, 'saveRotation')).toEqual([]);
    expect(ws.rotations.of('ana')?.deactivated).toBe('2025-05-03T08:00:00Z');
  });

  it('shows a refused deletion at its step; "Deactivate again" deactivates through the core, then it deletes', async () => {
    let refuse = true;
    const { fake, ws } = rotating('DeleteOld', () => (refuse ? { code: 'DeleteConflict', message: REFUSAL } : null));
    await ws.rotations.load();
    render(RotateKey, { ws, user: 'ana', onclose: () => {}, onhandoff: () => {} });
    await fireEvent.click(await screen.findByTestId('rotation-delete'));
    const refused = await screen.findByTestId('rotation-delete-error');
    expect(refused.textContent).toContain(REFUSAL);
    expect(calls(fake, 'deleteOldKey')).toEqual([['prod', ACCOUNT, 'ana']]);
    expect(screen.queryByTestId('rotation-done')).toBeNull();
    expect(ws.rotations.of('ana')).not.toBeNull();

    await fireEvent.click(screen.getByTestId('rotation-deactivate-again'));
    await waitFor(() => expect(calls(fake, 'deactivateOldKey')).toEqual([['prod', ACCOUNT, 'ana']]));
    await waitFor(() => expect(screen.queryByTestId('rotation-delete-error')).toBeNull());
    expect(screen.queryByTestId('rotation-deactivate-again')).toBeNull();

    refuse = false;
    await fireEvent.click(screen.getByTestId('rotation-delete'));
    await screen.findByTestId('rotation-done');
    expect(calls(fake, 'deleteOldKey').length).toBe(2);
    // Nothing of the old way: the UI neither deletes the key itself nor finishes the rotation.
    expect(calls(fake, 'deleteAccessKey')).toEqual([]);
    expect(calls(fake, 'finishRotation')).toEqual([]);
  });

  it('offers no "Deactivate again" for a failure that is not a refusal', async () => {
    const { ws } = rotating('DeleteOld', () => ({ code: 'Throttling', message: 'Rate exceeded' }));
    await ws.rotations.load();
    render(RotateKey, { ws, user: 'ana', onclose: () => {}, onhandoff: () => {} });
    await fireEvent.click(await screen.findByTestId('rotation-delete'));
    expect((await screen.findByTestId('rotation-delete-error')).textContent).toContain('Rate exceeded');
    expect(screen.queryByTestId('rotation-deactivate-again')).toBeNull();
  });
});
