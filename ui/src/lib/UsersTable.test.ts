import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import UsersTable from './UsersTable.svelte';
import type { UserSummary } from './bindings';

const user = (name: string, path: string, created: string): UserSummary => ({
  name,
  path,
  arn: `arn:aws:iam::111111111111:user${path}${name}`,
  userId: `AIDA${name.toUpperCase()}`,
  created,
});

const USERS = [
  user('bob.martin', '/engineering/', '2024-03-01T10:00:00Z'),
  user('alice.nguyen', '/engineering/', '2025-01-01T10:00:00Z'),
  user('sam.okafor', '/finance/', '2023-06-01T10:00:00Z'),
];

const rowNames = () => Array.from(document.querySelectorAll('tbody tr')).map((r) => r.getAttribute('data-user'));

describe('UsersTable', () => {
  it('lists users sorted by name and filters by name or path', async () => {
    render(UsersTable, { users: USERS });
    expect(rowNames()).toEqual(['alice.nguyen', 'bob.martin', 'sam.okafor']);
    expect(screen.getByTestId('user-count').textContent).toBe('3');

    await fireEvent.input(screen.getByTestId('user-search'), { target: { value: 'finance' } });
    expect(rowNames()).toEqual(['sam.okafor']);
    expect(screen.getByTestId('user-count').textContent).toBe('1 of 3');

    await fireEvent.input(screen.getByTestId('user-search'), { target: { value: 'nobody' } });
    expect(rowNames()).toEqual([]);
    expect(screen.getByText(/No user matches/)).toBeTruthy();
  });

  it('sorts by a column, and reverses on a second click', async () => {
    render(UsersTable, { users: USERS });
    await fireEvent.click(screen.getByRole('button', { name: /Created/ }));
    expect(rowNames()).toEqual(['sam.okafor', 'bob.martin', 'alice.nguyen']);
    await fireEvent.click(screen.getByRole('button', { name: /Created/ }));
    expect(rowNames()).toEqual(['alice.nguyen', 'bob.martin', 'sam.okafor']);
  });

  it('says what to do when the account has no users, and shows errors as sentences', () => {
    const { unmount } = render(UsersTable, { users: [] });
    expect(screen.getByText(/no IAM users yet/)).toBeTruthy();
    unmount();
    render(UsersTable, { users: null, error: { code: 'AccessDenied', message: 'User x is not authorized to perform iam:ListUsers' } });
    expect(screen.getByRole('alert').textContent).toContain('not authorized to perform iam:ListUsers');
  });
});
