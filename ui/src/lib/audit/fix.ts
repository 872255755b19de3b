// What a finding's fix button says, and how findings are filtered for the audit view.
import type { AuditFinding, Fix, FindingSeverity } from '../bindings';

export const SEVERITIES: FindingSeverity[] = ['Critical', 'High', 'Medium', 'Low'];

/** The fix button's label, by the screen it opens; null for the root user's console (no button). */
export function fixLabel(fix: Fix): string | null {
  switch (fix.screen) {
    case 'mfaEnrol':
      return 'Enrol MFA';
    case 'rotateKey':
      return 'Rotate key';
    case 'accessKeys':
      return 'Open access keys';
    case 'consoleAccess':
      return 'Open console access';
    case 'userGroups':
      return 'Open groups';
    case 'userPolicies':
      return 'Open policies';
    case 'passwordPolicy':
      return 'Edit password policy';
    case 'policy':
      return 'Open policy';
    case 'inlinePolicy':
      return 'Open inline policy';
    case 'roleTrust':
      return 'Edit trust policy';
    case 'rootConsole':
      return null;
  }
}

export const ROOT_CONSOLE_INSTRUCTION = 'Sign in to the AWS console as the root user to fix this';

export type FindingFilter = {
  /** The severities shown; all when empty. */
  severities: Set<FindingSeverity>;
  text: string;
  showAcknowledged: boolean;
};

/** What a finding is about, as a short phrase to search in. */
export function entityText(f: AuditFinding): string {
  const e = f.entity;
  switch (e.kind) {
    case 'root':
      return 'root user';
    case 'passwordPolicy':
      return 'password policy';
    case 'inlinePolicy':
      return `${e.principal.kind} ${e.principal.name} ${e.name}`;
    case 'policy':
      return `${e.name} ${e.arn}`;
    default:
      return e.name;
  }
}

export function matches(f: AuditFinding, filter: FindingFilter): boolean {
  if (f.acknowledged && !filter.showAcknowledged) return false;
  if (filter.severities.size && !filter.severities.has(f.severity)) return false;
  const q = filter.text.trim().toLowerCase();
  if (!q) return true;
  return [f.title, f.why, f.check, f.cis ?? '', entityText(f), f.acknowledged?.reason ?? '']
    .join('\n')
    .toLowerCase()
    .includes(q);
}

/** The length a reason may have (the Rust side refuses longer). */
export const REASON_MAX = 500;

export function reasonProblem(reason: string): string | null {
  if (!reason.trim()) return 'Say why this risk is accepted.';
  if (reason.length > REASON_MAX) return `At most ${REASON_MAX} characters (${reason.length} now).`;
  return null;
}
