import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import CredentialReportView from './CredentialReportView.svelte';
import { Workspace } from '../workspace.svelte';
import type { Channel } from '@tauri-apps/api/core';
import type { CredentialReport, CredentialReportRow, ReportKey, ReportProgress } from '../bindings';
import { REPORT_COLUMNS, sortRows } from './report';
import { ago } from '../ui/format';
import { callerIdentity, fakeBackend } from '../../test/fakeBackend';

const NO_KEY: ReportKey = {
  active: false,
  lastRotated: null,
  lastUsedDate: null,
  lastUsedRegion: null,
  lastUsedService: null,
};

function reportRow(user: string, over: Partial<CredentialReportRow> = {}): CredentialReportRow {
  return {
    user,
    arn: user === '<root_account>' ? 'arn:aws:iam::111111111111:root' : `arn:aws:iam::111111111111:user/${user}`,
    userCreationTime: '2025-01-01T00:00:00Z',
    passwordEnabled: false,
    passwordLastUsed: null,
    passwordLastChanged: null,
    passwordNextRotation: null,
    mfaActive: false,
    accessKey1: NO_KEY,
    accessKey2: NO_KEY,
    cert1: { active: false, lastRotated: null },
    cert2: { active: false, lastRotated: null },
    ...over,
  };
}

const ROWS: CredentialReportRow[] = [
  reportRow('<root_account>', { passwordEnabled: null, mfaActive: true, userCreationTime: '2020-01-01T00:00:00Z' }),
  reportRow('zoe', { passwordEnabled: true, passwordLastUsed: '2026-11-01T00:00:00Z', mfaActive: true }),
  reportRow('ana', {
    userCreationTime: '2024-05-01T00:00:00Z',
    accessKey1: {
      active: true,
      lastRotated: '2026-01-01T00:00:00Z',
      lastUsedDate: '2026-11-20T00:00:00Z',
      lastUsedRegion: 'eu-west-1',
      lastUsedService: 's3',
    },
  }),
  ...Array.from({ length: 200 }, (_, i) => reportRow(`svc-${String(i).padStart(3, '0')}`)),
];

function report(rows = ROWS): CredentialReport {
  return { generated: new Date(Date.now() - 2 * 60_000).toISOString(), rows, calls: 3 };
}

function connected(fake: ReturnType<typeof fakeBackend>) {
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod');
  return ws;
}

const users = () =>
  [...screen.getByTestId('report-table').querySelectorAll('tbody tr[data-user]')].map((r) =>
    r.getAttribute('data-user'),
  );
const cell = (user: string, column: string) =>
  screen.getByTestId('report-table').querySelector(`tr[data-user='${user}'] td[data-column='${column}']`)?.textContent;

describe('the report helpers', () => {
  it('sorts names as people count, the root user first, empty cells last', () => {
    const rows = ['user-10', 'user-2', '<root_account>', 'user-1'].map((u) => reportRow(u));
    const byUser = REPORT_COLUMNS[0];
    expect(sortRows(rows, byUser, true).map((r) => r.user)).toEqual(['<root_account>', 'user-1', 'user-2', 'user-10']);
    expect(sortRows(rows, byUser, false).map((r) => r.user)).toEqual(['<root_account>', 'user-10', 'user-2', 'user-1']);
    const used = REPORT_COLUMNS.find((c) => c.key === 'passwordLastUsed')!;
    const withUse = [reportRow('a'), reportRow('b', { passwordLastUsed: '2026-01-01T00:00:00Z' })];
    expect(sortRows(withUse, used, true).map((r) => r.user)).toEqual(['b', 'a']);
    expect(sortRows(withUse, used, false).map((r) => r.user)).toEqual(['b', 'a']);
  });

  it('says how old the report is', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(ago('2026-11-24T09:59:30Z', now)).toBe('just now');
    expect(ago('2026-11-24T09:58:00Z', now)).toBe('2 minutes ago');
    expect(ago('2026-11-24T09:00:00Z', now)).toBe('1 hour ago');
    expect(ago('2026-11-21T10:00:00Z', now)).toBe('3 days ago');
  });
});

describe('CredentialReportView', () => {
  it('shows progress from the channel, then every column of every user, root first', async () => {
    let progress: Channel<ReportProgress> | null = null;
    let answer: (r: CredentialReport) => void = () => {};
    const fake = fakeBackend({
      getCredentialReport: (_profile, onProgress) => {
        progress = onProgress;
        return new Promise<CredentialReport>((resolve) => (answer = resolve));
      },
    });
    render(CredentialReportView, { ws: connected(fake) });
    expect(screen.queryByTestId('report-table')).toBeNull();

    await fireEvent.click(screen.getByTestId('report-generate'));
    await waitFor(() => expect(progress).not.toBeNull());
    expect(screen.getByTestId('report-progress')).toBeTruthy();
    progress!.onmessage({ attempts: 3, elapsedMs: 6000, timeoutMs: 24000, state: 'INPROGRESS' });
    await waitFor(() => expect(screen.getByTestId('report-progress').textContent).toContain('INPROGRESS'));
    expect(screen.getByTestId('report-progress').textContent).toContain('attempt 3');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');

    answer(report());
    await waitFor(() => expect(screen.getByTestId('report-table')).toBeTruthy());
    expect(screen.queryByTestId('report-progress')).toBeNull();
    expect(screen.getByTestId('report-generated').textContent).toContain('2 minutes ago');
    expect(screen.getByTestId('credential-report').textContent).toContain('every 4 hours');

    // Every column of AWS's report.
    const headers = [...screen.getByTestId('report-table').querySelectorAll('th')].map((th) =>
      th.textContent?.replace(/[▲▼]/g, '').trim(),
    );
    expect(headers).toHaveLength(22);
    for (const label of [
      'User',
      'ARN',
      'Created',
      'Password enabled',
      'Password last used',
      'Password last changed',
      'Password next rotation',
      'MFA',
      'Key 1 active',
      'Key 1 last rotated',
      'Key 1 last used',
      'Key 1 last region',
      'Key 1 last service',
      'Key 2 active',
      'Key 2 last service',
      'Cert 1 active',
      'Cert 1 last rotated',
      'Cert 2 active',
      'Cert 2 last rotated',
    ])
      expect(headers).toContain(label);
    expect(REPORT_COLUMNS).toHaveLength(22);

    // Root first, by name; the rest sorted by user; virtualised.
    const shown = users();
    expect(shown.slice(0, 3)).toEqual(['<root_account>', 'ana', 'svc-000']);
    expect(shown.length).toBeLessThan(ROWS.length);
    expect(cell('<root_account>', 'user')).toBe('root user');
    expect(cell('<root_account>', 'passwordEnabled')).toBe('n/a');
    expect(cell('ana', 'key1Active')).toBe('Yes');
    expect(cell('ana', 'key1Region')).toBe('eu-west-1');
    expect(cell('ana', 'key1Service')).toBe('s3');
    expect(cell('ana', 'key2Active')).toBe('No');
    expect(cell('ana', 'arn')).toBe('arn:aws:iam::111111111111:user/ana');
  });

  it('sorts by a column header and filters by user', async () => {
    const fake = fakeBackend({ getCredentialReport: () => report() });
    render(CredentialReportView, { ws: connected(fake) });
    await fireEvent.click(screen.getByTestId('report-generate'));
    await waitFor(() => expect(screen.getByTestId('report-table')).toBeTruthy());

    // The header's buttons by their text: getByRole walks every cell of the table, slow enough
    // in jsdom to pass the test's time limit on a busy machine.
    const header = (label: string) =>
      [...screen.getByTestId('report-table').querySelectorAll<HTMLButtonElement>('thead button')].find((b) =>
        b.textContent?.startsWith(label),
      )!;
    await fireEvent.click(header('User'));
    expect(users().slice(0, 2)).toEqual(['<root_account>', 'zoe']);

    // Password last used: the one who used it first, the empty ones after, root always first.
    await fireEvent.click(header('Password last used'));
    expect(users().slice(0, 3)).toEqual(['<root_account>', 'zoe', 'ana']);

    await fireEvent.click(header('Key 1 active'));
    await fireEvent.click(header('Key 1 active'));
    expect(users().slice(0, 2)).toEqual(['<root_account>', 'ana']);

    await fireEvent.click(header('User'));
    await fireEvent.input(screen.getByTestId('report-filter'), { target: { value: 'svc-19' } });
    expect(users()).toEqual(Array.from({ length: 10 }, (_, i) => `svc-19${i}`));
    await fireEvent.input(screen.getByTestId('report-filter'), { target: { value: 'root' } });
    expect(users()).toEqual(['<root_account>']);
  });

  it('shows a time-out clearly, with Try again', async () => {
    let n = 0;
    const fake = fakeBackend({
      getCredentialReport: () => {
        if (n++ === 0)
          throw { code: 'AwsService', message: 'AWS did not finish the credential report within 30 seconds' };
        return report();
      },
    });
    render(CredentialReportView, { ws: connected(fake) });
    await fireEvent.click(screen.getByTestId('report-generate'));
    await waitFor(() => expect(screen.getByTestId('report-error').textContent).toContain('within 30 seconds'));
    expect(screen.getByRole('alert').getAttribute('data-code')).toBe('AwsService');

    await fireEvent.click(screen.getByTestId('report-retry'));
    await waitFor(() => expect(screen.getByTestId('report-table')).toBeTruthy());
    expect(screen.queryByTestId('report-error')).toBeNull();
    expect(fake.calls.filter((c) => c.cmd === 'getCredentialReport')).toHaveLength(2);
  });

  it('exports the report and says where', async () => {
    const fake = fakeBackend({ getCredentialReport: () => report(), saveCredentialReport: () => '/tmp/report.csv' });
    render(CredentialReportView, { ws: connected(fake) });
    await fireEvent.click(screen.getByTestId('report-generate'));
    await waitFor(() => expect(screen.getByTestId('report-table')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('report-export'));
    await waitFor(() => expect(screen.getByTestId('report-saved').textContent).toContain('/tmp/report.csv'));
    expect(fake.calls.filter((c) => c.cmd === 'saveCredentialReport')).toEqual([
      { cmd: 'saveCredentialReport', args: ['prod'] },
    ]);
  });
});
