// The account's password policy and alias, as the settings and the dashboard show them:
// field labels, values in words, AWS's ranges and the alias's pattern (hints only: the
// Rust side checks them and is the authority).
import type { AccountPasswordPolicy } from '../bindings';

/** Human labels for the policy's fields (camelCase, as in `PolicyFieldChange.field`). */
export const FIELD_LABELS: Record<string, string> = {
  minimumPasswordLength: 'Minimum length',
  requireSymbols: 'Require a symbol',
  requireNumbers: 'Require a number',
  requireUppercaseCharacters: 'Require an uppercase letter',
  requireLowercaseCharacters: 'Require a lowercase letter',
  allowUsersToChangePassword: 'Users may change their own password',
  maxPasswordAge: 'Passwords expire after',
  passwordReusePrevention: 'Previous passwords that cannot be reused',
  hardExpiry: 'Expired passwords need an administrator',
  expirePasswords: 'Passwords expire',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** AWS's ranges. */
export const RANGES = {
  minimumPasswordLength: [6, 128],
  maxPasswordAge: [1, 1095],
  passwordReusePrevention: [1, 24],
} as const;

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');

/** The policy's fields in words, in the order an administrator reads them. */
export function describePolicy(p: AccountPasswordPolicy): [field: string, label: string, value: string][] {
  const rows: [string, string][] = [
    ['minimumPasswordLength', `${p.minimumPasswordLength} characters`],
    ['requireUppercaseCharacters', yesNo(p.requireUppercaseCharacters)],
    ['requireLowercaseCharacters', yesNo(p.requireLowercaseCharacters)],
    ['requireNumbers', yesNo(p.requireNumbers)],
    ['requireSymbols', yesNo(p.requireSymbols)],
    ['maxPasswordAge', p.maxPasswordAge == null ? 'Never' : days(p.maxPasswordAge)],
    ['passwordReusePrevention', p.passwordReusePrevention == null ? 'No restriction' : `${p.passwordReusePrevention}`],
    ['allowUsersToChangePassword', yesNo(p.allowUsersToChangePassword)],
    ['hardExpiry', yesNo(p.hardExpiry)],
  ];
  return rows.map(([f, v]) => [f, fieldLabel(f), v]);
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/**
 * Why `alias` breaks AWS's rule (3–63 characters: lowercase letters, digits and hyphens, no
 * hyphen first, last or twice in a row), or null. A hint: the Rust side decides.
 */
export function aliasProblem(alias: string): string | null {
  if (alias.length < 3 || alias.length > 63) return 'An alias has 3 to 63 characters.';
  if (!/^[a-z0-9-]+$/.test(alias)) return 'Only lowercase letters, digits and hyphens.';
  if (alias.startsWith('-') || alias.endsWith('-')) return 'No hyphen at the start or the end.';
  if (alias.includes('--')) return 'No two hyphens in a row.';
  return null;
}

/** The console's sign-in address for an account, by alias when it has one. */
export function signInUrl(account: string, alias: string | null | undefined): string {
  return `https://${alias || account}.signin.aws.amazon.com/console`;
}
