import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import UsersTable from './UsersTable.svelte';
import { userRow } from '../test/fakeBackend';

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
