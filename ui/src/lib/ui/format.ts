// Small display helpers shared by the screens.
import type { Profile, ProfileKind } from '../bindings';

const KIND_LABELS: Record<ProfileKind, string> = {
  StaticKeys: 'Access keys',
  Sso: 'IAM Identity Center (SSO)',
  AssumeRole: 'Assume role',
  CredentialProcess: 'Credential process',
  WebIdentity: 'Web identity',
  NoCredentials: 'No credentials',
};

export function kindLabel(kind: ProfileKind): string {
  return KIND_LABELS[kind];
}

/**
 * The command that signs `profile` in again when its session expired: `aws sso login` for an
 * SSO profile, or for an assume-role profile whose source profile is one. Null otherwise.
 */
export function signInCommand(profile: string, profiles: Profile[]): string | null {
  const p = profiles.find((x) => x.name === profile);
  const source = p?.kind === 'AssumeRole' ? profiles.find((x) => x.name === p.source) : undefined;
  const sso = p?.kind === 'Sso' ? p : source?.kind === 'Sso' ? source : undefined;
  return sso ? `aws sso login --profile ${sso.name}` : null;
}

/** 123456789012 → "1234 5678 9012", as the console shows account ids. */
export function accountId(id: string): string {
  return id.replace(/^(\d{4})(\d{4})(\d{4})$/, '$1 $2 $3');
}

/** An RFC 3339 time as a short local date and time. */
export function when(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** How long ago an RFC 3339 time was, as an administrator reads it: "today", "3 d", "2 y". */
export function age(rfc3339: string | null | undefined, now: Date = new Date()): string {
  if (!rfc3339) return '';
  const t = new Date(rfc3339).getTime();
  if (Number.isNaN(t)) return '';
  const days = Math.floor((now.getTime() - t) / 86_400_000);
  if (days < 1) return 'today';
  if (days < 365) return `${days} d`;
  return `${Math.floor(days / 365)} y`;
}

/** "2 minutes ago", "3 hours ago", "just now": how long ago a report or an audit was made. */
export function ago(rfc3339: string, now: Date = new Date()): string {
  const t = new Date(rfc3339).getTime();
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now.getTime() - t) / 1000));
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'} ago`;
  if (s < 60) return 'just now';
  if (s < 3600) return unit(Math.floor(s / 60), 'minute');
  if (s < 86_400) return unit(Math.floor(s / 3600), 'hour');
  return unit(Math.floor(s / 86_400), 'day');
}

/** The last segment of a policy ARN: its name. */
export function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function isAwsManaged(arn: string): boolean {
  return arn.startsWith('arn:aws:iam::aws:policy/');
}

/** An RFC 3339 time as a short local date, for table cells. */
export function day(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** An RFC 3339 time as the local hour and minute, "14:05": when a session ends. */
export function clock(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
