import { fireEvent, screen } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import UsersTable from './UsersTable.svelte';
import UsersView from './UsersView.svelte';
import type { Workspace } from '../workspace.svelte';
import { inventory, userRow } from '../../test/fakeBackend';

const USERS = [
  userRow('bob.martin', {
    path: '/engineering/',
    created: '2024-03-01T10:00:00Z',
    keys: { count: 2, active: 1, oldest: '2024-03-01T00:00:00Z', lastUsed: null },
  }),
  userRow('alice.nguyen', {
    path: '/engineering/',
    created: '2025-01-01T10:00:00Z',
    console: { enabled: true, lastUsed: null },
    mfa: false,
  }),
  userRow('sam.okafor', { path: '/finance/', created: '2023-06-01T10:00:00Z', mfa: true }),
];

const rowNames = () =>
  Array.from(document.querySelectorAll('tbody tr[data-user]')).map((r) => r.getAttribute('data-user'));

describe('UsersTable', () => {
  it('lists users sorted by name, and re-sorts by a column, reversing on a second click', async () => {
    render(UsersTable, { users: USERS });
    expect(rowNames()).toEqual(['alice.nguyen', 'bob.martin', 'sam.okafor']);
    await fireEvent.click(screen.getByRole('button', { name: /Created/ }));
    expect(rowNames()).toEqual(['sam.okafor', 'bob.martin', 'alice.nguyen']);
    await fireEvent.click(screen.getByRole('button', { name: /Created/ }));
    expect(rowNames()).toEqual(['alice.nguyen', 'bob.martin', 'sam.okafor']);
    await fireEvent.click(screen.getByRole('button', { name: /Keys/ }));
    expect(rowNames()[2]).toBe('bob.martin');
  });

  it('shows a filtered list in the order of the whole list, sorted by the chosen column', async () => {
    const { rerender } = render(UsersTable, { users: USERS, from: USERS });
    await fireEvent.click(screen.getByRole('button', { name: /Created/ }));
    expect(rowNames()).toEqual(['sam.okafor', 'bob.martin', 'alice.nguyen']);
    await rerender({ users: [USERS[1], USERS[2]], from: USERS });
    expect(rowNames()).toEqual(['sam.okafor', 'alice.nguyen']);
    await rerender({ users: [USERS[1]], from: USERS });
    expect(rowNames()).toEqual(['alice.nguyen']);
  });

  it('flags console access without MFA', () => {
    render(UsersTable, { users: USERS });
    const alice = document.querySelector('tr[data-user="alice.nguyen"]')!;
    expect(alice.querySelector('.warn')?.textContent).toBe('No');
  });

  it('keeps only a window of rows in the DOM for thousands of users', () => {
    const many = Array.from({ length: 5000 }, (_, i) => userRow(`user${String(i).padStart(4, '0')}`));
    render(UsersTable, { users: many });
    const rows = rowNames();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(200);
    expect(rows[0]).toBe('user0000');
  });

  it('selects rows one by one or all at once', async () => {
    render(UsersTable, { users: USERS });
    await fireEvent.click(screen.getByLabelText('Select bob.martin'));
    expect(document.querySelectorAll('tr.picked').length).toBe(1);
    await fireEvent.click(screen.getByLabelText('Select all shown users'));
    expect(document.querySelectorAll('tr.picked').length).toBe(3);
  });
});

// Long enough to be cut in any column: the layout itself needs a browser (tests/e2e/tests/table.rs).
const LONG_NAME = 'a-service-account-with-a-name-that-is-sixty-characters-long-x';
const LONG_GROUP = 'group-whose-name-is-long-enough-to-widen-any-select-it-is-put-in';
const EIGHT_GROUPS = Array.from({ length: 8 }, (_, i) => `platform-engineering-team-${i + 1}`);
const LONG = userRow(LONG_NAME, {
  path: '/division/platform/engineering/automation/service-accounts/',
  groups: EIGHT_GROUPS,
  console: { enabled: true, lastUsed: '2025-02-03T04:05:06Z' },
  keys: { count: 2, active: 1, oldest: '2024-03-01T00:00:00Z', lastUsed: '2025-02-01T00:00:00Z' },
  inlinePolicies: ['inline-one'],
});

const cell = (user: string, column: string) =>
  document.querySelector(`tr[data-user="${user}"] td.${column}`) as HTMLTableCellElement;

describe('UsersTable column widths', () => {
  it('fixes its column widths with a colgroup, one col per column, checkbox first', () => {
    render(UsersTable, { users: USERS });
    const table = document.querySelector('.data-table table')!;
    expect(table.classList.contains('fit')).toBe(true);
    const cols = Array.from(table.querySelectorAll('colgroup > col'));
    expect(cols.map((c) => c.getAttribute('class')?.match(/col-[a-z]+/)?.[0])).toEqual([
      'col-check',
      'col-name',
      'col-path',
      'col-groups',
      'col-console',
      'col-mfa',
      'col-keys',
      'col-policies',
      'col-created',
    ]);
    // As many cols as header cells, or the fixed layout would guess the rest.
    expect(table.querySelectorAll('thead th').length).toBe(cols.length);
  });

  it('puts the full text of every column that may be cut in its cell title', () => {
    render(UsersTable, { users: [LONG, ...USERS] });
    expect(cell(LONG_NAME, 'name').getAttribute('title')).toBe(LONG_NAME);
    expect(cell(LONG_NAME, 'name').textContent?.trim()).toBe(LONG_NAME);
    expect(cell(LONG_NAME, 'path').getAttribute('title')).toBe(
      '/division/platform/engineering/automation/service-accounts/',
    );
    expect(cell(LONG_NAME, 'groups').getAttribute('title')).toBe(EIGHT_GROUPS.join(', '));
    expect(cell(LONG_NAME, 'console').getAttribute('title')).toBe(
      'Console enabled, last signed in 2025-02-03T04:05:06Z',
    );
    expect(cell(LONG_NAME, 'keys').getAttribute('title')).toBe(
      '2 access keys, 1 active; oldest created 2024-03-01T00:00:00Z; last used 2025-02-01T00:00:00Z',
    );
    expect(cell(LONG_NAME, 'policies').getAttribute('title')).toBe('0 attached, 1 inline');
    expect(cell(LONG_NAME, 'created').getAttribute('title')).toBe(LONG.created);
    // The short cells say what they show too.
    expect(cell('sam.okafor', 'groups').getAttribute('title')).toBe('In no group');
    expect(cell('sam.okafor', 'console').getAttribute('title')).toBe('No console password');
    expect(cell('sam.okafor', 'keys').getAttribute('title')).toBe('No access keys');
  });

  it('still virtualises 5,000 users: about a page of rows, spacers spanning every column', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => userRow(`user${String(i).padStart(4, '0')}`));
    render(UsersTable, { users: many });
    expect(rowNames().length).toBeGreaterThanOrEqual(30);
    expect(rowNames().length).toBeLessThan(60);
    const after = document.querySelector('tbody tr.spacer:last-child td')!;
    expect(after.getAttribute('colspan')).toBe('9');
    // Scrolled into the middle: a spacer above and below, and the rows of that place.
    const box = document.querySelector('.data-table') as HTMLElement;
    box.scrollTop = 36 * 2500;
    await fireEvent.scroll(box);
    const spacers = document.querySelectorAll('tbody tr.spacer');
    expect(spacers.length).toBe(2);
    spacers.forEach((s) => expect(s.querySelector('td')?.getAttribute('colspan')).toBe('9'));
    expect(rowNames()).toContain('user2500');
  });
});

describe('UsersView filters', () => {
  function workspace(): Workspace {
    const users = [LONG, ...USERS];
    return {
      inventory: inventory(users, [LONG_GROUP, 'developers', ...EIGHT_GROUPS]),
      loading: false,
      inventoryError: null,
      loadInventory: () => {},
      groups: { setMembers: async () => {} },
    } as unknown as Workspace;
  }

  it('keeps the search box and the path and group selects at a fixed width, whatever their options', async () => {
    render(UsersView, { ws: workspace(), onopen: () => {}, oncreate: () => {}, ondelete: () => {} });
    const search = screen.getByLabelText('Search users');
    const path = screen.getByLabelText('Filter by path');
    const group = screen.getByLabelText('Filter by group');
    for (const control of [search, path, group]) expect(control.classList.contains('filter')).toBe(true);
    expect(search.classList.contains('search')).toBe(true);
    // The long group name is an option, cut in the closed select rather than widening it.
    expect(Array.from(group.querySelectorAll('option')).map((o) => o.textContent)).toContain(LONG_GROUP);
    // So is the bulk "add to group" select, once users are selected.
    await fireEvent.click(screen.getByLabelText(`Select ${LONG_NAME}`));
    const bulk = screen.getByTestId('bulk-group');
    expect(bulk.classList.contains('filter')).toBe(true);
    expect(bulk.classList.contains('bulk')).toBe(true);
  });
});
