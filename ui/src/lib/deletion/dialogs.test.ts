import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { createRawSnippet } from 'svelte';
import { compile } from 'svelte/compiler';
import { afterEach, describe, expect, it, vi } from 'vitest';
import CreateUser from '../users/CreateUser.svelte';
import DeleteDialog from './DeleteDialog.svelte';
import Modal from '../ui/Modal.svelte';
import { Workspace } from '../workspace.svelte';
import type { NewUser } from '../bindings';
import {
  callerIdentity,
  created,
  fakeBackend,
  group,
  inventory,
  updated,
  user,
  userRow,
  handoffList,
} from '../../test/fakeBackend';

async function connected(fake: ReturnType<typeof fakeBackend>) {
  const s = new Workspace(fake.backend);
  s.identity = callerIdentity('prod');
  s.inventory = inventory([userRow('ana', { groups: ['developers'] })], ['developers']);
  return s;
}

describe('CreateUser', () => {
  it('shows the core rule next to the field and does not move on', async () => {
    const fake = fakeBackend({
      validateNewUser: (user) =>
        user.name?.includes(' ') ? [{ field: 'name', message: 'The user name contains a space.' }] : [],
    });
    const ws = await connected(fake);
    render(CreateUser, { ws, onclose: () => {}, oncreated: () => {} });
    await fireEvent.input(screen.getByTestId('new-user-name'), { target: { value: 'ana silva' } });
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() =>
      expect(document.querySelector('[data-field-error="name"]')?.textContent).toContain('contains a space'),
    );
    expect(screen.getByText('1 · Details').classList.contains('current')).toBe(true);
    expect(fake.calls.some((c) => c.cmd === 'createUser')).toBe(false);
  });

  it('reviews before sending, then creates with groups, a new group and tags', async () => {
    let sent: NewUser | null = null;
    const fake = fakeBackend({
      validateNewUser: () => [],
      listPolicies: () => [],
      createUser: (_profile, spec) => {
        sent = spec;
        // The new groups, the user, then both sides of each membership (each change once).
        const name = spec.name ?? '';
        const groups = [...(spec.groups ?? []), ...(spec.newGroups ?? [])];
        const [first, ...rest] = groups.map(group);
        return [
          ...created(...(spec.newGroups ?? []).map(group), user(name)),
          ...(first ? updated(first, user(name), ...rest) : []),
        ];
      },
      getUserRow: (_profile, name) => userRow(name),
      getGroupRow: () => null,
      listHandoffs: () => handoffList(),
    });
    const ws = await connected(fake);
    let createdName = '';
    render(CreateUser, { ws, onclose: () => {}, oncreated: (n: string) => (createdName = n) });
    await fireEvent.input(screen.getByTestId('new-user-name'), { target: { value: 'ben' } });
    await fireEvent.input(screen.getByTestId('new-user-path'), { target: { value: '/eng/' } });
    await fireEvent.click(screen.getByTestId('add-tag'));
    await fireEvent.input(screen.getByTestId('tag-key'), { target: { value: 'team' } });
    await fireEvent.input(screen.getByTestId('tag-value'), { target: { value: 'search' } });
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await fireEvent.click(await screen.findByLabelText(/developers/));
    await fireEvent.input(screen.getByTestId('new-group-name'), { target: { value: 'oncall' } });
    await fireEvent.click(screen.getByText('Create with the user'));
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(screen.getByTestId('review').textContent).toContain('oncall (created now)'));
    expect(sent).toBeNull();
    await fireEvent.click(screen.getByTestId('wizard-create'));
    await waitFor(() => expect(createdName).toBe('ben'));
    expect(sent).toEqual({
      name: 'ben',
      path: '/eng/',
      tags: [{ key: 'team', value: 'search' }],
      groups: ['developers'],
      newGroups: ['oncall'],
      policies: [],
      copyFrom: null,
    });
  });
});

/** Fills in the name and goes through the steps to the review. */
async function toReview() {
  await fireEvent.input(screen.getByTestId('new-user-name'), { target: { value: 'ben' } });
  await fireEvent.click(screen.getByTestId('wizard-next'));
  await waitFor(() => expect(screen.getByText('2 · Permissions').classList.contains('current')).toBe(true));
  await fireEvent.click(screen.getByTestId('wizard-next'));
  await fireEvent.click(await screen.findByTestId('wizard-create'));
}

describe('CreateUser after a partial failure', () => {
  it('says the user was created when AWS made it before a later step failed, and offers its page', async () => {
    const made: string[] = [];
    const fake = fakeBackend({
      validateNewUser: () => [],
      listPolicies: () => [],
      createUser: (_profile, spec) => {
        made.push(spec.name ?? '');
        throw {
          code: 'NoSuchEntity',
          message: 'The group with name oncall cannot be found. — after this was done: created user ben.',
          changed: created(user(spec.name ?? '')),
        };
      },
      getUserRow: (_profile, name) => (made.includes(name) ? userRow(name) : null),
      getGroupRow: () => null,
    });
    const ws = await connected(fake);
    render(CreateUser, { ws, onclose: () => {}, oncreated: () => {} });
    await toReview();
    const note = await screen.findByRole('alert');
    expect(note.textContent).toContain('ben was created, but not all of what was asked with it');
    expect(note.textContent).not.toContain('could not be created');
    expect(screen.getByRole('button', { name: 'Open ben' })).toBeTruthy();
  });

  it('says it could not be created when AWS made nothing', async () => {
    const fake = fakeBackend({
      validateNewUser: () => [],
      listPolicies: () => [],
      createUser: () => {
        throw { code: 'EntityAlreadyExists', message: 'User with name ben already exists.' };
      },
      getUserRow: () => null,
      getGroupRow: () => null,
    });
    const ws = await connected(fake);
    render(CreateUser, { ws, onclose: () => {}, oncreated: () => {} });
    await toReview();
    expect((await screen.findByRole('alert')).textContent).toContain('The user could not be created.');
  });
});

describe('DeleteDialog', () => {
  it('shows the plan, waits for the typed name, and reports what failed and what remains', async () => {
    const fake = fakeBackend({
      planDeletion: (_profile, targets) =>
        targets.map((target) => ({
          target,
          gone: false,
          warnings: [],
          steps: [
            { step: { action: 'deleteAccessKey', id: 'AKIA1' }, text: 'Delete access key AKIA1' },
            {
              step: { action: 'removeFromGroup', group: 'developers', user: 'ana' },
              text: 'Remove ana from group developers',
            },
            { step: { action: 'delete' }, text: 'Delete user ana' },
          ],
        })),
      runDeletion: (_profile, targets) =>
        targets.map((target) => ({
          target,
          done: ['Delete access key AKIA1'],
          failed: 'Remove ana from group developers',
          error: { code: 'Throttling', message: 'Rate exceeded' },
          remaining: ['Delete user ana'],
          changed: [{ entity: { kind: 'AccessKey', user: 'ana', id: 'AKIA1' }, how: { kind: 'Deleted' } }],
        })),
      getUserRow: (_profile, name) => userRow(name),
      getGroupRow: () => null,
    });
    const ws = await connected(fake);
    render(DeleteDialog, { ws, targets: [{ kind: 'User', name: 'ana' }], onclose: () => {} });
    await waitFor(() => expect(screen.getByText('Remove ana from group developers')).toBeTruthy());
    const confirm = screen.getByTestId('confirm-delete') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('confirm-delete-input'), { target: { value: 'an' } });
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('confirm-delete-input'), { target: { value: 'ana' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await waitFor(() => expect(screen.getByText(/Rate exceeded/)).toBeTruthy());
    expect(document.body.textContent).toContain('Not done yet: Delete user ana');
    expect(screen.getByText('Run again')).toBeTruthy();
  });

  it('says a policy deleted meanwhile is gone, asks for nothing, and its Close closes the page', async () => {
    const arn = 'arn:aws:iam::111111111111:policy/reports';
    const fake = fakeBackend({
      planDeletion: (_profile, targets) => targets.map((target) => ({ target, gone: true, warnings: [], steps: [] })),
    });
    const ws = await connected(fake);
    let closedPage = false;
    render(DeleteDialog, { ws, targets: [{ arn }], onclose: () => {}, ondeleted: () => (closedPage = true) });
    await screen.findByText('This policy no longer exists; nothing to do.');
    expect(screen.queryByTestId('confirm-delete-policy-input')).toBeNull();
    await fireEvent.click(screen.getByText('Close'));
    expect(closedPage).toBe(true);
    expect(fake.calls.some((c) => c.cmd === 'runDeletion')).toBe(false);
  });
});

import UsersView from '../users/UsersView.svelte';

describe('UsersView', () => {
  it('adds every selected user to a group in one action and reloads only their rows', async () => {
    const fake = fakeBackend({
      setGroupMembers: (_profile, g, users) => updated(group(g), ...users.map(user)),
      getUserRow: (_profile, name) => userRow(name, { groups: ['developers'] }),
      getGroupRow: (_profile, name) => ({
        name,
        path: '/',
        arn: 'a',
        groupId: 'g',
        created: '',
        members: ['ana', 'bea'],
        attachedPolicies: [],
        inlinePolicies: [],
      }),
    });
    const ws = await connected(fake);
    ws.inventory = inventory([userRow('ana'), userRow('bea'), userRow('cy')], ['developers']);
    render(UsersView, { ws, onopen: () => {}, oncreate: () => {}, ondelete: () => {} });
    await fireEvent.click(screen.getByLabelText('Select ana'));
    await fireEvent.click(screen.getByLabelText('Select bea'));
    await fireEvent.change(screen.getByTestId('bulk-group'), { target: { value: 'developers' } });
    await waitFor(() => expect(fake.calls.filter((c) => c.cmd === 'getUserRow').length).toBe(2));
    expect(fake.calls.find((c) => c.cmd === 'setGroupMembers')?.args).toEqual([
      'prod',
      'developers',
      ['ana', 'bea'],
      true,
    ]);
    expect(fake.calls.some((c) => c.cmd === 'loadInventory')).toBe(false);
    await waitFor(() => expect(ws.inventory!.users.find((u) => u.name === 'ana')!.groups).toEqual(['developers']));
  });
});

import HandoffScreen from '../handoffs/HandoffScreen.svelte';
import secretValueSource from '../handoffs/SecretValue.svelte?raw';
import type { Handoff, Profile } from '../bindings';

describe('HandoffScreen', () => {
  const key: Handoff = {
    account: '111111111111',
    user: 'ana',
    kind: 'SecretAccessKey',
    keyId: 'AKIA1',
    signInUrl: 'https://111111111111.signin.aws.amazon.com/console',
    created: '',
    resetRequired: false,
  };
  const pw: Handoff = { ...key, kind: 'ConsolePassword', keyId: 'password', resetRequired: true };

  it('keeps secrets masked until revealed, copies through Rust, and forgets them when handed over', async () => {
    let pending = [key, pw];
    const fake = fakeBackend({
      revealSecret: (handoff) => (handoff.kind === 'ConsolePassword' ? 'Tr0ub4dor&3' : 'wJalrXUtnFEMI'),
      copySecret: () => null,
      completeHandoff: (handoff) => {
        pending = pending.filter((h) => h.kind !== handoff.kind);
        return null;
      },
      listHandoffs: () => handoffList({ pending }),
    });
    const ws = await connected(fake);
    let closed = false;
    render(HandoffScreen, { ws, handoffs: [pw, key], onclose: () => (closed = true) });
    expect(document.body.textContent).not.toContain('Tr0ub4dor&3');
    expect(fake.calls.some((c) => c.cmd === 'revealSecret')).toBe(false);
    await fireEvent.click(screen.getByTestId('reveal-password'));
    await waitFor(() => expect(screen.getByTestId('secret-password').textContent).toBe('Tr0ub4dor&3'));
    expect(screen.getByTestId('secret-key').textContent).not.toContain('wJalr');
    await fireEvent.click(screen.getAllByText('Copy')[1]);
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('cleared in 30 seconds'));
    expect(fake.calls.filter((c) => c.cmd === 'revealSecret').length).toBe(1);
    await fireEvent.click(screen.getByTestId('handed-over'));
    await waitFor(() => expect(closed).toBe(true));
    expect(pending).toEqual([]);
    expect(ws.handoffs.pending).toEqual([]);
  });

  it('lets nobody select a revealed secret: it leaves only by Copy (no clipboard history, cleared in 30 s)', async () => {
    const fake = fakeBackend({ revealSecret: () => 'Tr0ub4dor&3', copySecret: () => null });
    render(HandoffScreen, { ws: await connected(fake), handoffs: [pw], onclose: () => {} });
    await fireEvent.click(screen.getByTestId('reveal-password'));
    const value = screen.getByTestId('secret-password');
    await waitFor(() => expect(value.textContent).toBe('Tr0ub4dor&3'));
    // jsdom applies no component CSS: the component's own, compiled for the class it was rendered with.
    const scope = [...value.classList].find((c) => c.startsWith('svelte-')) ?? '';
    const style = document.createElement('style');
    style.textContent =
      compile(secretValueSource, { filename: 'SecretValue.svelte', css: 'external', cssHash: () => scope }).css?.code ??
      '';
    document.head.append(style);
    try {
      expect(getComputedStyle(value).userSelect).toBe('none');
    } finally {
      style.remove();
    }
    await fireEvent.click(screen.getByText('Copy'));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('cleared in 30 seconds'));
    expect(fake.calls.filter((c) => c.cmd === 'copySecret').length).toBe(1);
  });
});

describe('Escape', () => {
  it('closes a dialog, unless something inside handled it (the editor closing its completions)', () => {
    let closed = 0;
    render(Modal, {
      title: 'T',
      onclose: () => closed++,
      children: createRawSnippet(() => ({ render: () => '<p>body</p>' })),
    });
    const handled = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    handled.preventDefault();
    window.dispatchEvent(handled);
    expect(closed).toBe(0);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(closed).toBe(1);
  });
});

import DialogPage from '../../test/DialogPage.svelte';
import { profileEntry } from '../../test/fakeBackend';

/**
 * Tab as jsdom's page gets it: the keydown to what has the focus, then, unless a handler
 * took it, the next (Shift: previous) control of the whole page in document order. jsdom
 * knows neither Tab nor a modal dialog's inert page: only a dialog's own trap holds the focus.
 */
function tab(shift = false) {
  const from = document.activeElement as HTMLElement;
  const key = new KeyboardEvent('keydown', { key: 'Tab', shiftKey: shift, bubbles: true, cancelable: true });
  from.dispatchEvent(key);
  if (key.defaultPrevented) return;
  const controls = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex]')].filter(
    (e) => !(e as HTMLButtonElement).disabled && e.tabIndex >= 0,
  );
  const at = controls.indexOf(from);
  controls[(at + (shift ? -1 : 1) + controls.length) % controls.length]?.focus();
}

/** Opens the page's dialog from its button, focused first as a keyboard user's would be. */
async function openFrom(page: { palette?: boolean; profiles?: Profile[] } = {}) {
  render(DialogPage, page);
  const opener = screen.getByRole('button', { name: 'Open' });
  opener.focus();
  await fireEvent.click(opener);
  return opener;
}

/** Where the focus is after each of `n` Tabs (Shift+Tabs), by accessible label or text. */
function walk(n: number, shift = false) {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    tab(shift);
    const e = document.activeElement as HTMLElement;
    seen.push(e.getAttribute('aria-label') ?? e.textContent?.trim() ?? e.tagName);
  }
  return seen;
}

describe('a dialog and the keyboard', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is modal, keeps Tab and Shift+Tab inside, and gives the focus back to its opener when it closes', async () => {
    const showModal = vi.spyOn(HTMLDialogElement.prototype, 'showModal');
    const opener = await openFrom();
    const dialog = screen.getByRole('dialog', { name: 'Two fields' }) as HTMLDialogElement;
    // A native <dialog> shown modal: the browser makes the page behind inert.
    expect(dialog).toBeInstanceOf(HTMLDialogElement);
    expect(showModal).toHaveBeenCalledOnce();
    expect(dialog.open).toBe(true);
    // The focus starts inside, on its first control (as the HTML dialog focusing steps do).
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));

    expect(walk(6)).toEqual(['First', 'Second', 'Close', 'First', 'Second', 'Close']);
    expect(walk(4, true)).toEqual(['Second', 'First', 'Close', 'Second']);
    expect(dialog.contains(document.activeElement)).toBe(true);

    await fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('gives the focus back when closed by its ✕ or beside it too', async () => {
    const opener = await openFrom();
    screen.getByLabelText('Second').focus();
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);

    await fireEvent.click(opener);
    await fireEvent.click(document.querySelector('.backdrop')!);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps the focus in the profile palette too, and gives it back when Escape closes it', async () => {
    const opener = await openFrom({ palette: true, profiles: [profileEntry('prod'), profileEntry('staging')] });
    const palette = screen.getByRole('dialog', { name: 'Switch profile' }) as HTMLDialogElement;
    expect(palette).toBeInstanceOf(HTMLDialogElement);
    expect(palette.open).toBe(true);
    expect(document.activeElement).toBe(screen.getByLabelText('Profile name'));
    for (const shift of [false, false, false, false, true, true, true, true, true]) {
      tab(shift);
      expect(palette.contains(document.activeElement)).toBe(true);
    }
    screen.getByLabelText('Profile name').focus();
    await fireEvent.keyDown(screen.getByLabelText('Profile name'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});
