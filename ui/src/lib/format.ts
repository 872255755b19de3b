// Small display helpers shared by the screens.
import type { ProfileKind } from './bindings';

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

/** 123456789012 → "1234 5678 9012", as the console shows account ids. */
export function accountId(id: string): string {
  return id.replace(/^(\d{4})(\d{4})(\d{4})$/, '$1 $2 $3');
}

/** An RFC 3339 time as a short local date and time. */
export function when(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
