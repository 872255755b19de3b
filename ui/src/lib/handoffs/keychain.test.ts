// What the keychain holds besides pending handoffs: staged passwords, lost keys, damaged
// entries. Announced once in the sidebar, dealt with on the review screen.
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import type { AccessKeyInfo, Handoff, HandoffList, LostKey } from '../bindings';
import { Workspace } from '../workspace.svelte';
import App from '../../App.svelte';
import KeychainAttention from './KeychainAttention.svelte';
import KeychainReview from './KeychainReview.svelte';
import {
  accessKey,
  deleted,
  fakeBackend,
  handoffList,
  inventory,
  updated,
  user,
  userRow,
  type Handlers,
} from '../../test/fakeBackend';

const ACCOUNT = '111111111111';
const staged: Handoff = {
  account: ACCOUNT,
  user: 'bea',
  kind: 'ConsolePassword',
  keyId: 'staged-7',
  signInUrl: `https://${ACCOUNT}.signin.aws.amazon.com/console`,
  created: '2025-05-01T10:00:00Z',
  resetRequired: true,
};
const lost: LostKey = {
  account: ACCOUNT,
  user: 'ana',
  since: '2025-05-01T10:00:00Z',
  entry: `${ACCOUNT}/ana/key-intent/1`,
  advice: 'An access key was created for ana at about 2025-05-01T10:00:00Z and its secret was lost.',
};
const damaged = { entry: `${ACCOUNT}/cy/secret-access-key/AKIABAD`, reason: 'it has no handoff details' };

const key = (id: string, created: string): AccessKeyInfo => ({
  id,
  status: 'Active',
  created,
  lastUsed: null,
  lastUsedService: null,
  lastUsedRegion: null,
});

function keychain(list: () => HandoffList, handlers: Handlers = {}, account = ACCOUNT) {
  const fake = fakeBackend({ listHandoffs: list, ...handlers });
  const ws = new Workspace(fake.backend);
  ws.identity = { profile: 'prod', account, arn: 'a', userId: 'u', region: 'r', endpointUrl: null, expires: null };
  ws.inventory = inventory([userRow('ana'), userRow('bea')]);
  return { fake, ws };
}

/** An element's text as read: runs of white space are one space. */
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ');

const count = (fake: ReturnType<typeof fakeBackend>, cmd: string) => fake.calls.filter((c) => c.cmd === cmd).length;

describe('KeychainAttention', () => {
  it('announces what needs a look once; staged passwords and lost keys stay listed until dealt with', async () => {
    const { ws } = keychain(() =>
      handoffList({ unconfirmed: [{ handoff: staged, advice: 'Staged' }], lostKeys: [lost], damaged: [damaged] }),
    );
    await ws.handoffs.load();
    let reviews = 0;
    render(KeychainAttention, { ws, onreview: () => reviews++ });
    expect(text(screen.getByTestId('keychain-news'))).toContain(
      'Found in the keychain: 1 password AWS may not have; 1 access key whose secret was lost; 1 unreadable entry, set aside.',
    );
    await fireEvent.click(screen.getByTestId('keychain-news-dismiss'));
    // Read again after a change: nothing is announced again.
    await ws.handoffs.load();
    await ws.handoffs.load();
    expect(screen.queryByTestId('keychain-news')).toBeNull();
    expect(screen.queryByText(/unreadable/)).toBeNull();
    expect(document.querySelector('[data-unconfirmed="bea"]')).toBeTruthy();
    await fireEvent.click(document.querySelector('[data-lost-key="ana"]')!);
    expect(reviews).toBe(1);
  });

  it('shows nothing once only acknowledged unreadable entries are left', async () => {
    const { ws } = keychain(() => handoffList({ damaged: [damaged] }));
    await ws.handoffs.load();
    render(KeychainAttention, { ws, onreview: () => {} });
    expect(text(screen.getByTestId('keychain-news'))).toContain('1 unreadable entry');
    ws.handoffs.acknowledge();
    await waitFor(() => expect(screen.queryByTestId('keychain-attention')).toBeNull());
  });
});

describe('KeychainReview', () => {
  it('lists damaged entries with their reason and no action, and counts as told', async () => {
    const { ws } = keychain(() => handoffList({ damaged: [damaged] }));
    await ws.handoffs.load();
    render(KeychainReview, { ws, onclose: () => {} });
    const item = document.querySelector(`[data-damaged="${damaged.entry}"]`)!;
    expect(item.textContent).toContain('it has no handoff details');
    expect(item.querySelector('button')).toBeNull();
    expect(ws.handoffs.news.damaged).toEqual([]);
  });

  it('reveals a staged password on request, and discards it only after asking', async () => {
    let list = handoffList({ unconfirmed: [{ handoff: staged, advice: 'Staged: AWS may or may not have this.' }] });
    const { fake, ws } = keychain(() => list, {
      revealSecret: () => 'Tr0ub4dor&3',
      completeHandoff: () => {
        list = handoffList();
        return null;
      },
    });
    await ws.handoffs.load();
    render(KeychainReview, { ws, onclose: () => {} });
    const item = document.querySelector('[data-staged="bea"]') as HTMLElement;
    expect(item.textContent).toContain('Staged: AWS may or may not have this.');
    expect(item.textContent).not.toContain('Tr0ub4dor&3');
    await fireEvent.click(within(item).getByTestId('staged-reveal'));
    await waitFor(() => expect(within(item).getByTestId('staged-secret').textContent).toBe('Tr0ub4dor&3'));

    await fireEvent.click(within(item).getByTestId('staged-discard'));
    expect(count(fake, 'completeHandoff')).toBe(0);
    expect(text(item)).toContain("If AWS has it, it stays bea's password until you set a new one.");
    await fireEvent.click(within(item).getByTestId('staged-discard-confirm'));
    await waitFor(() => expect(screen.getByTestId('keychain-note').textContent).toContain('bea'));
    expect(fake.calls.find((c) => c.cmd === 'completeHandoff')?.args).toEqual([
      { account: ACCOUNT, user: 'bea', kind: 'ConsolePassword', keyId: 'staged-7' },
    ]);
    expect(document.querySelector('[data-staged]')).toBeNull();
    expect(screen.getByTestId('keychain-clear')).toBeTruthy();
  });

  it('marks a staged password that worked as handed over', async () => {
    let list = handoffList({ unconfirmed: [{ handoff: staged, advice: 'Staged' }] });
    const { fake, ws } = keychain(() => list, {
      completeHandoff: () => {
        list = handoffList();
        return null;
      },
    });
    await ws.handoffs.load();
    render(KeychainReview, { ws, onclose: () => {} });
    await fireEvent.click(screen.getByTestId('staged-handed-over'));
    await waitFor(() => expect(screen.getByTestId('keychain-note').textContent).toContain('marked as handed over'));
    expect(count(fake, 'completeHandoff')).toBe(1);
  });

  it("deletes exactly the lost key's user's keys created at or after `since`, after asking, then dismisses the note", async () => {
    let list = handoffList({
      lostKeys: [lost],
      // A key made after the note whose secret is pending: not the lost one.
      pending: [{ ...staged, user: 'ana', kind: 'SecretAccessKey', keyId: 'AKIAPENDING' }],
    });
    let keys = [
      key('AKIAOLD', '2025-04-30T08:00:00Z'),
      key('AKIAAT', '2025-05-01T10:00:00Z'),
      key('AKIALATER', '2025-05-01T10:00:05Z'),
      key('AKIAPENDING', '2025-05-02T09:00:00Z'),
    ];
    const { fake, ws } = keychain(() => list, {
      getUser: (_p, name) => ({
        ...userRow(name),
        loginProfile: null,
        accessKeys: keys,
        mfaDevices: [],
        viaGroups: [],
        permissionsBoundary: null,
      }),
      deleteAccessKey: (_p, u, keyId) => {
        keys = keys.filter((k) => k.id !== keyId);
        return [...deleted(accessKey(u, keyId)), ...updated(user(u))];
      },
      getUserRow: (_p, name) => userRow(name),
      dismissLostKey: () => {
        list = handoffList({ pending: list.pending });
        return null;
      },
    });
    await ws.handoffs.load();
    render(KeychainReview, { ws, onclose: () => {} });
    await waitFor(() => expect(document.querySelectorAll('[data-lost-candidate]').length).toBe(3));
    const listed = [...document.querySelectorAll('[data-lost-candidate]')].map((li) => [
      li.getAttribute('data-lost-candidate'),
      (li.querySelector('input') as HTMLInputElement).checked,
    ]);
    expect(listed).toEqual([
      ['AKIAAT', true],
      ['AKIALATER', true],
      ['AKIAPENDING', false],
    ]);
    expect(fake.calls.find((c) => c.cmd === 'getUser')?.args).toEqual(['prod', 'ana']);

    await fireEvent.click(screen.getByTestId('lost-key-delete'));
    expect(count(fake, 'deleteAccessKey')).toBe(0);
    expect(text(screen.getByRole('group', { name: 'Delete the keys of ana' }))).toContain(
      'Delete AKIAAT, AKIALATER of ana?',
    );
    await fireEvent.click(screen.getByTestId('lost-key-confirm'));
    await waitFor(() => expect(screen.getByTestId('keychain-note').textContent).toContain('Deleted AKIAAT, AKIALATER'));
    expect(fake.calls.filter((c) => c.cmd === 'deleteAccessKey').map((c) => c.args)).toEqual([
      ['prod', 'ana', 'AKIAAT'],
      ['prod', 'ana', 'AKIALATER'],
    ]);
    expect(fake.calls.find((c) => c.cmd === 'dismissLostKey')?.args).toEqual([lost.entry]);
    expect(keys.map((k) => k.id)).toEqual(['AKIAOLD', 'AKIAPENDING']);
    expect(document.querySelector('[data-lost]')).toBeNull();
  });

  it('keeps the note when a deletion fails, and lists again what is left', async () => {
    let keys = [key('AKIA1', '2025-05-01T10:00:01Z'), key('AKIA2', '2025-05-01T10:00:02Z')];
    const { fake, ws } = keychain(() => handoffList({ lostKeys: [lost] }), {
      getUser: (_p, name) => ({
        ...userRow(name),
        loginProfile: null,
        accessKeys: keys,
        mfaDevices: [],
        viaGroups: [],
        permissionsBoundary: null,
      }),
      deleteAccessKey: (_p, u, keyId) => {
        if (keyId === 'AKIA2') throw { code: 'Throttling', message: 'Rate exceeded' };
        keys = keys.filter((k) => k.id !== keyId);
        return [...deleted(accessKey(u, keyId)), ...updated(user(u))];
      },
      getUserRow: (_p, name) => userRow(name),
    });
    await ws.handoffs.load();
    render(KeychainReview, { ws, onclose: () => {} });
    await fireEvent.click(await screen.findByTestId('lost-key-delete'));
    await fireEvent.click(screen.getByTestId('lost-key-confirm'));
    await waitFor(() => expect(screen.getByText(/Rate exceeded/)).toBeTruthy());
    await waitFor(() =>
      expect(
        [...document.querySelectorAll('[data-lost-candidate]')].map((li) => li.getAttribute('data-lost-candidate')),
      ).toEqual(['AKIA2']),
    );
    expect(count(fake, 'dismissLostKey')).toBe(0);
    expect(screen.getByText(/Rate exceeded/)).toBeTruthy();
  });

  it('says which account to select when the selected profile is of another, and reads nothing', async () => {
    const { fake, ws } = keychain(() => handoffList({ lostKeys: [lost] }), {}, '222222222222');
    await ws.handoffs.load();
    render(KeychainReview, { ws, onclose: () => {} });
    expect(text(screen.getByTestId('lost-key-account'))).toContain(
      'Select a profile of account 1111 1111 1111 to list the access keys of ana',
    );
    expect(count(fake, 'getUser')).toBe(0);
    expect(screen.queryByTestId('lost-key-delete')).toBeNull();
  });

  it('offers to dismiss the note when no key was created since', async () => {
    let list = handoffList({ lostKeys: [lost] });
    const { fake, ws } = keychain(() => list, {
      getUser: (_p, name) => ({
        ...userRow(name),
        loginProfile: null,
        accessKeys: [key('AKIAOLD', '2025-01-01T00:00:00Z')],
        mfaDevices: [],
        viaGroups: [],
        permissionsBoundary: null,
      }),
      dismissLostKey: () => {
        list = handoffList();
        return null;
      },
    });
    await ws.handoffs.load();
    render(KeychainReview, { ws, onclose: () => {} });
    expect(text(await screen.findByTestId('lost-key-none'))).toContain('Nothing is left to delete.');
    await fireEvent.click(screen.getByTestId('lost-key-dismiss'));
    await waitFor(() => expect(count(fake, 'dismissLostKey')).toBe(1));
    expect(count(fake, 'deleteAccessKey')).toBe(0);
  });
});

describe('the window', () => {
  it('opens the review from the announcement, and Escape closes it', async () => {
    const fake = fakeBackend({
      getAppInfo: () => ({ version: '0', sandbox: false }),
      listHandoffs: () => handoffList({ damaged: [damaged] }),
      listProfiles: () => ({ profiles: [], preselected: null, problems: [], configFile: '', credentialsFile: '' }),
    });
    render(App, { backend: fake.backend });
    await fireEvent.click(await screen.findByTestId('keychain-review'));
    const dialog = screen.getByRole('dialog', { name: 'Keychain: needs attention' });
    expect(text(dialog)).toContain('it has no handoff details');
    // Reviewed: not announced again.
    expect(screen.queryByTestId('keychain-news')).toBeNull();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
