import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import MfaEnrol from './MfaEnrol.svelte';
import UserPanel from '../users/UserPanel.svelte';
import { Workspace } from '../workspace.svelte';
import type { MfaEnrolment } from '../bindings';
import {
  callerIdentity,
  created,
  deleted,
  done,
  fakeBackend,
  inventory,
  mfaDevice,
  updated,
  user,
  userRow,
  type Handlers,
} from '../../test/fakeBackend';

const DEVICE: MfaEnrolment = {
  serial: 'arn:aws:iam::111111111111:mfa/ana',
  seed: 'JBSWY3DPEHPK3PXP',
  qrSvg: '<svg></svg>',
};

/** What deleting a virtual device answers: no user holds it, so its serial names the user. */
const deviceDeleted = (serial: string) => deleted(mfaDevice(serial.split('/').pop()!, serial));

function enrolling(handlers: Handlers = {}) {
  const fake = fakeBackend({
    createVirtualMfa: (_p, u) => done(DEVICE, created(mfaDevice(u, DEVICE.serial))),
    deleteVirtualMfa: (_p, serial) => deviceDeleted(serial),
    enableMfa: (_p, u, serial) => updated(mfaDevice(u, serial), user(u)),
    getUserRow: (_p, name) => userRow(name, { mfa: true }),
    ...handlers,
  });
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod');
  ws.inventory = inventory([userRow('ana')]);
  return { fake, ws };
}

const count = (fake: ReturnType<typeof fakeBackend>, cmd: string) => fake.calls.filter((c) => c.cmd === cmd).length;

describe('MfaEnrol', () => {
  it('creates the AWS device once, whatever changes while the dialog is open', async () => {
    const { fake, ws } = enrolling();
    render(MfaEnrol, { ws, user: 'ana', onclose: () => {} });
    await screen.findByTestId('mfa-qr');
    // What the dialog depends on changes: the identity (same profile, a new object), the
    // inventory, and the page's own state.
    ws.identity = { ...ws.identity! };
    ws.inventory = inventory([userRow('ana'), userRow('bea')]);
    await fireEvent.click(screen.getByTestId('mfa-show-seed'));
    await fireEvent.input(screen.getByTestId('mfa-code1'), { target: { value: '123456' } });
    await tick();
    await new Promise((r) => setTimeout(r, 20));
    expect(count(fake, 'createVirtualMfa')).toBe(1);
    expect(fake.calls.find((c) => c.cmd === 'createVirtualMfa')?.args).toEqual(['prod', 'ana']);
  });

  it('deletes the unassigned device on cancel, and keeps an assigned one', async () => {
    const cancelled = enrolling();
    let closed = false;
    const first = render(MfaEnrol, { ws: cancelled.ws, user: 'ana', onclose: () => (closed = true) });
    await screen.findByTestId('mfa-qr');
    await fireEvent.click(screen.getByText('Cancel'));
    expect(closed).toBe(true);
    first.unmount();
    await waitFor(() => expect(count(cancelled.fake, 'deleteVirtualMfa')).toBe(1));
    expect(cancelled.fake.calls.find((c) => c.cmd === 'deleteVirtualMfa')?.args).toEqual(['prod', DEVICE.serial]);

    const assigned = enrolling();
    closed = false;
    const second = render(MfaEnrol, { ws: assigned.ws, user: 'ana', onclose: () => (closed = true) });
    await screen.findByTestId('mfa-qr');
    await fireEvent.input(screen.getByTestId('mfa-code1'), { target: { value: '123456' } });
    await fireEvent.input(screen.getByTestId('mfa-code2'), { target: { value: '654321' } });
    await fireEvent.click(screen.getByTestId('mfa-enable'));
    await waitFor(() => expect(closed).toBe(true));
    second.unmount();
    await new Promise((r) => setTimeout(r, 20));
    expect(assigned.fake.calls.find((c) => c.cmd === 'enableMfa')?.args).toEqual([
      'prod',
      'ana',
      DEVICE.serial,
      '123456',
      '654321',
    ]);
    expect(count(assigned.fake, 'deleteVirtualMfa')).toBe(0);
    expect(assigned.ws.inventory!.users[0].mfa).toBe(true);
  });

  it('deletes a device that arrives after the dialog was closed', async () => {
    const { fake, ws } = enrolling();
    fake.hold('createVirtualMfa');
    const dialog = render(MfaEnrol, { ws, user: 'ana', onclose: () => {} });
    await fireEvent.click(screen.getByText('Cancel'));
    dialog.unmount();
    expect(fake.release('createVirtualMfa', 'prod')).toBe(true);
    await waitFor(() => expect(count(fake, 'deleteVirtualMfa')).toBe(1));
  });
});

describe('unassigned MFA devices on the user page', () => {
  const ORPHAN = 'arn:aws:iam::111111111111:mfa/ana';

  it('are listed with what they are, and each is deleted only after asking', async () => {
    let orphans = [ORPHAN];
    const { fake, ws } = enrolling({
      getUser: (_p, name) => ({
        ...userRow(name),
        loginProfile: null,
        accessKeys: [],
        mfaDevices: [],
        viaGroups: [],
        permissionsBoundary: null,
      }),
      listOrphanedMfaDevices: () => orphans,
      deleteVirtualMfa: (_p, serial) => {
        orphans = orphans.filter((s) => s !== serial);
        return deviceDeleted(serial);
      },
      listRotations: () => ({ rotations: [], notice: null }),
    });
    render(UserPanel, {
      ws,
      name: 'ana',
      onclose: () => {},
      ondelete: () => {},
      onrenamed: () => {},
      onhandoff: () => {},
    });
    const listed = await screen.findByTestId('mfa-orphans');
    expect(listed.textContent?.replace(/\s+/g, ' ')).toContain('it blocks assigning a new device to ana');
    expect(document.querySelector(`[data-orphan-mfa="${ORPHAN}"]`)).toBeTruthy();
    expect(fake.calls.find((c) => c.cmd === 'listOrphanedMfaDevices')?.args).toEqual(['prod', 'ana']);

    await fireEvent.click(screen.getByTestId('orphan-mfa-delete'));
    expect(count(fake, 'deleteVirtualMfa')).toBe(0);
    await fireEvent.click(screen.getByTestId('orphan-mfa-confirm'));
    await waitFor(() => expect(screen.queryByTestId('mfa-orphans')).toBeNull());
    expect(fake.calls.find((c) => c.cmd === 'deleteVirtualMfa')?.args).toEqual(['prod', ORPHAN]);
    // Read again through the API's reload, as the user's page is.
    expect(count(fake, 'listOrphanedMfaDevices')).toBe(2);
    expect(count(fake, 'getUser')).toBe(2);
  });

  it('say why an enrolment is blocked by one', async () => {
    const { ws } = enrolling({
      createVirtualMfa: () => {
        throw { code: 'EntityAlreadyExists', message: 'MFADevice entity at the same path and name already exists.' };
      },
    });
    render(MfaEnrol, { ws, user: 'ana', onclose: () => {} });
    expect((await screen.findByTestId('mfa-blocked')).textContent).toContain('delete it under MFA devices');
  });
});
