import { screen, waitFor } from '@testing-library/svelte';
import { render } from './test/render';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import RolePanel from './lib/roles/RolePanel.svelte';
import UserPanel from './lib/users/UserPanel.svelte';
import { Workspace } from './lib/workspace.svelte';
import type { AccessKeyInfo, Fix, RoleDetail, UserDetail } from './lib/bindings';
import { target, type Target } from './navigation';
import { scrollWhenShown } from './lib/ui/scroll';
import { roleRow, callerIdentity, fakeBackend, inventory, userRow } from './test/fakeBackend';

describe('target', () => {
  it('maps every fix screen to its tab, page and part', () => {
    const cases: [Fix, Target][] = [
      [
        { screen: 'mfaEnrol', user: 'ana' },
        { tab: 'users', page: { kind: 'User', name: 'ana', focus: 'mfa' } },
      ],
      [
        { screen: 'rotateKey', user: 'ana' },
        { tab: 'users', page: { kind: 'User', name: 'ana', focus: 'rotate' } },
      ],
      [
        { screen: 'accessKeys', user: 'ana' },
        { tab: 'users', page: { kind: 'User', name: 'ana', focus: 'keys' } },
      ],
      [
        { screen: 'consoleAccess', user: 'ana' },
        { tab: 'users', page: { kind: 'User', name: 'ana', focus: 'console' } },
      ],
      [
        { screen: 'userGroups', user: 'ana' },
        { tab: 'users', page: { kind: 'User', name: 'ana', focus: 'groups' } },
      ],
      [
        { screen: 'userPolicies', user: 'ana' },
        { tab: 'users', page: { kind: 'User', name: 'ana', focus: 'policies' } },
      ],
      [
        { screen: 'passwordPolicy', preset: true },
        { tab: 'account', section: 'settings', preset: true },
      ],
      [
        { screen: 'passwordPolicy', preset: false },
        { tab: 'account', section: 'settings', preset: false },
      ],
      [
        { screen: 'policy', arn: 'arn:aws:iam::111111111111:policy/wide' },
        { tab: 'policies', page: { kind: 'Policy', arn: 'arn:aws:iam::111111111111:policy/wide' } },
      ],
      [
        { screen: 'inlinePolicy', principal: { kind: 'User', name: 'ana' }, name: 'p' },
        { tab: 'users', page: { kind: 'User', name: 'ana', focus: 'policies' } },
      ],
      [
        { screen: 'inlinePolicy', principal: { kind: 'Group', name: 'devs' }, name: 'p' },
        { tab: 'groups', page: { kind: 'Group', name: 'devs', focus: 'policies' } },
      ],
      [
        { screen: 'inlinePolicy', principal: { kind: 'Role', name: 'ops' }, name: 'p' },
        { tab: 'roles', page: { kind: 'Role', name: 'ops', focus: 'policies' } },
      ],
      [
        { screen: 'roleTrust', role: 'ops' },
        { tab: 'roles', page: { kind: 'Role', name: 'ops', focus: 'trust' } },
      ],
      [{ screen: 'rootConsole' }, { tab: 'account', section: 'audit' }],
    ];
    for (const [fix, to] of cases) expect(target(fix), fix.screen).toEqual(to);
    // Every screen of `Fix` is covered.
    expect(new Set(cases.map(([f]) => f.screen)).size).toBe(11);
  });
});

describe('scrolling to the part a fix names', () => {
  const scrolled: Element[] = [];
  const original = Element.prototype.scrollIntoView;
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolled.push(this);
  };
  afterEach(() => {
    scrolled.length = 0;
    document.body.innerHTML = '';
  });
  afterAll(() => {
    Element.prototype.scrollIntoView = original;
  });

  it('scrolls at once when the part is there, or as soon as it appears', async () => {
    document.body.innerHTML = '<h3 data-part="keys">Keys</h3>';
    scrollWhenShown('keys');
    await waitFor(() => expect(scrolled).toHaveLength(1));
    expect(scrolled[0].textContent).toBe('Keys');

    scrollWhenShown('console');
    await new Promise((r) => setTimeout(r, 10));
    expect(scrolled).toHaveLength(1);
    const later = document.createElement('h3');
    later.dataset.part = 'console';
    document.body.append(later);
    await waitFor(() => expect(scrolled).toEqual([scrolled[0], later]));

    // Stopped (the page closed): nothing more.
    const stop = scrollWhenShown('groups');
    await new Promise((r) => setTimeout(r, 0));
    stop();
    document.body.insertAdjacentHTML('beforeend', '<h3 data-part="groups">Groups</h3>');
    await new Promise((r) => setTimeout(r, 10));
    expect(scrolled).toHaveLength(2);
  });

  it("scrolls a role's page to its trust policy once the role has loaded", async () => {
    const row = roleRow('ops');
    const detail: RoleDetail = { row, trustPolicy: '{"Version":"2012-10-17","Statement":[]}' };
    for (const focus of ['trust', 'policies'] as const) {
      const fake = fakeBackend({
        getRole: () => detail,
        listInstanceProfiles: () => [],
        validatePolicy: () => ({ findings: [], size: 10, limit: 2048 }),
      });
      fake.hold('getRole');
      const ws = new Workspace(fake.backend);
      ws.identity = callerIdentity('prod');
      ws.inventory = inventory([]);
      const { unmount } = render(RolePanel, { ws, name: 'ops', focus, onclose: () => {}, ondelete: () => {} });
      await new Promise((r) => setTimeout(r, 10));
      expect(scrolled).toHaveLength(0);
      await waitFor(() => expect(fake.release('getRole', 'prod')).toBe(true));
      await waitFor(() => expect(scrolled).toHaveLength(1));
      expect(scrolled[0].getAttribute('data-part')).toBe(focus);
      unmount();
      scrolled.length = 0;
    }
  });
});

describe("a user's page opened by a fix", () => {
  const KEY: AccessKeyInfo = {
    id: 'AKIAOLD',
    status: 'Active',
    created: '2025-01-01T00:00:00Z',
    lastUsed: null,
    lastUsedService: null,
    lastUsedRegion: null,
  };
  const user = (keys: AccessKeyInfo[]): UserDetail => ({
    ...userRow('ana'),
    loginProfile: null,
    accessKeys: keys,
    mfaDevices: [],
    viaGroups: [],
    permissionsBoundary: null,
  });

  function open(keys: AccessKeyInfo[], focus: 'rotate' | 'keys', removeFirst: string | null = null) {
    const fake = fakeBackend({
      getUser: () => user(keys),
      listOrphanedMfaDevices: () => [],
      listRotations: () => ({ rotations: [], notice: null }),
      planRotation: () => ({ keys, removeFirst }),
    });
    const ws = new Workspace(fake.backend);
    ws.identity = callerIdentity('prod');
    ws.inventory = inventory([userRow('ana')]);
    render(UserPanel, {
      ws,
      name: 'ana',
      focus,
      onclose: () => {},
      ondelete: () => {},
      onrenamed: () => {},
      onhandoff: () => {},
    });
    return fake;
  }

  it('opens the rotation with the only key chosen: no key needs picking', async () => {
    open([KEY], 'rotate');
    const old = (await screen.findByTestId('rotation-old')) as HTMLSelectElement;
    expect(old.value).toBe('AKIAOLD');
    expect((screen.getByTestId('rotation-create') as HTMLButtonElement).disabled).toBe(false);
  });

  it('with two keys, proposes deleting one first, the other then being the one rotated', async () => {
    open([KEY, { ...KEY, id: 'AKIASPARE', status: 'Inactive' }], 'rotate', 'AKIASPARE');
    await waitFor(() => expect(screen.getByRole('dialog').textContent).toContain('Delete AKIASPARE'));
    expect(screen.getByRole('dialog').textContent).toContain('already has two access keys');
  });

  it('scrolls to the access keys once the page has loaded', async () => {
    const original = Element.prototype.scrollIntoView;
    const spy = vi.fn();
    Element.prototype.scrollIntoView = spy;
    open([KEY], 'keys');
    await waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
    expect((spy.mock.contexts[0] as Element).getAttribute('data-part')).toBe('keys');
    expect(screen.queryByRole('dialog')).toBeNull();
    Element.prototype.scrollIntoView = original;
  });
});
