// The credential report's columns, as the table shows, sorts and filters them.
import type { CredentialReportRow, ReportCert, ReportKey } from '../bindings';

export const ROOT = '<root_account>';

export type Cell = string | boolean | null;
export type ReportColumn = {
  key: string;
  label: string;
  kind: 'text' | 'time' | 'bool';
  value: (r: CredentialReportRow) => Cell;
};

const key = (n: 1 | 2, pick: (r: CredentialReportRow) => ReportKey): ReportColumn[] => [
  { key: `key${n}Active`, label: `Key ${n} active`, kind: 'bool', value: (r) => pick(r).active },
  { key: `key${n}Rotated`, label: `Key ${n} last rotated`, kind: 'time', value: (r) => pick(r).lastRotated },
  { key: `key${n}Used`, label: `Key ${n} last used`, kind: 'time', value: (r) => pick(r).lastUsedDate },
  { key: `key${n}Region`, label: `Key ${n} last region`, kind: 'text', value: (r) => pick(r).lastUsedRegion },
  { key: `key${n}Service`, label: `Key ${n} last service`, kind: 'text', value: (r) => pick(r).lastUsedService },
];

const cert = (n: 1 | 2, pick: (r: CredentialReportRow) => ReportCert): ReportColumn[] => [
  { key: `cert${n}Active`, label: `Cert ${n} active`, kind: 'bool', value: (r) => pick(r).active },
  { key: `cert${n}Rotated`, label: `Cert ${n} last rotated`, kind: 'time', value: (r) => pick(r).lastRotated },
];

/** Every column of AWS's report, in its order. */
export const REPORT_COLUMNS: ReportColumn[] = [
  { key: 'user', label: 'User', kind: 'text', value: (r) => r.user },
  { key: 'arn', label: 'ARN', kind: 'text', value: (r) => r.arn },
  { key: 'created', label: 'Created', kind: 'time', value: (r) => r.userCreationTime },
  { key: 'passwordEnabled', label: 'Password enabled', kind: 'bool', value: (r) => r.passwordEnabled },
  { key: 'passwordLastUsed', label: 'Password last used', kind: 'time', value: (r) => r.passwordLastUsed },
  { key: 'passwordLastChanged', label: 'Password last changed', kind: 'time', value: (r) => r.passwordLastChanged },
  {
    key: 'passwordNextRotation',
    label: 'Password next rotation',
    kind: 'time',
    value: (r) => r.passwordNextRotation,
  },
  { key: 'mfa', label: 'MFA', kind: 'bool', value: (r) => r.mfaActive },
  ...key(1, (r) => r.accessKey1),
  ...key(2, (r) => r.accessKey2),
  ...cert(1, (r) => r.cert1),
  ...cert(2, (r) => r.cert2),
];

/** The user as shown: the root user by name. */
export function userLabel(user: string): string {
  return user === ROOT ? 'root user' : user;
}

// user-2 before user-10, as people count.
const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

/** Sorted by `column` (empty cells last either way), the root user always first. */
export function sortRows(rows: CredentialReportRow[], column: ReportColumn, ascending: boolean) {
  const dir = ascending ? 1 : -1;
  const rank = (r: CredentialReportRow) => (r.user === ROOT ? 0 : 1);
  return [...rows].sort((a, b) => {
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
    const x = column.value(a);
    const y = column.value(b);
    if (x == null || y == null) {
      if (x == null && y == null) return byName(a.user, b.user);
      return x == null ? 1 : -1;
    }
    const c = typeof x === 'boolean' ? Number(x) - Number(y) : byName(String(x), String(y));
    return (c || byName(a.user, b.user)) * dir;
  });
}

/** Rows whose user or ARN contains `text`. */
export function filterRows(rows: CredentialReportRow[], text: string) {
  const q = text.trim().toLowerCase();
  if (!q) return rows;
  return rows.filter((r) => userLabel(r.user).toLowerCase().includes(q) || r.arn.toLowerCase().includes(q));
}

/** AWS's report state in words: STARTED, INPROGRESS, COMPLETE. */
export function stateText(state: string): string {
  const words: Record<string, string> = {
    STARTED: 'generation started',
    INPROGRESS: 'generating',
    COMPLETE: 'complete, reading it',
  };
  return words[state] ?? state.toLowerCase();
}
