// What the access screens say, kept apart from the components so unit tests reach it.
import type { AppliedPolicy, Decision, PolicyKind, PrincipalKind, ServiceAccess, StatementAt } from '../bindings';

export const DECISION: Record<Decision, string> = {
  allowed: 'Allowed',
  explicitDeny: 'Explicitly denied',
  implicitDeny: 'Implicitly denied',
};

/** What each decision means, in a sentence, for the answer's first line. */
export const DECISION_MEANING: Record<Decision, string> = {
  allowed: 'An Allow statement matches and no Deny does.',
  explicitDeny: 'A Deny statement matches: no Allow can override it.',
  implicitDeny: 'No Allow statement matches, so the request is denied by default.',
};

const number = new Intl.NumberFormat('en-US');
export const n = (x: number) => number.format(x);
export const plural = (x: number, one: string, many: string) => `${n(x)} ${x === 1 ? one : many}`;

/** "14:05", local time; the text as given when it is not a time. */
export function clock(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** "12 ms", "1.4 s". */
export function duration(millis: number): string {
  return millis < 1000 ? `${Math.round(millis)} ms` : `${(millis / 1000).toFixed(1)} s`;
}

/** The statement as people find it in the document: by Sid, or by its place. */
export function statementLabel(s: Pick<StatementAt, 'sid' | 'index'>): string {
  return s.sid ? `Sid "${s.sid}"` : `statement ${s.index + 1}`;
}

/** Which validator rules a policy's document is read with, shown read-only. */
export function policyKind(policy: AppliedPolicy, principal: PrincipalKind): PolicyKind {
  if (!policy.inline) return 'Managed';
  if (policy.viaGroup) return 'GroupInline';
  return INLINE[principal];
}

const INLINE: Record<PrincipalKind, PolicyKind> = { User: 'UserInline', Group: 'GroupInline', Role: 'RoleInline' };

/** Where a policy comes from, as the effective-permissions groups name it. */
export function sourceOf(policy: AppliedPolicy): string {
  if (policy.boundary) return 'Permissions boundary';
  if (policy.viaGroup) return `Through group ${policy.viaGroup}`;
  return policy.inline ? 'Inline policies' : 'Managed policies';
}

export type PolicyGroup = { title: string; via: string | null; policies: AppliedPolicy[] };

/**
 * The policies grouped by source, in the core's order (own inline, own managed, then each
 * group's), the boundary last: it limits the others and grants nothing.
 */
export function groupPolicies(policies: AppliedPolicy[], boundary: AppliedPolicy | null): PolicyGroup[] {
  const groups: PolicyGroup[] = [];
  for (const p of policies) {
    const title = sourceOf(p);
    let g = groups.find((x) => x.title === title);
    if (!g) groups.push((g = { title, via: p.viaGroup, policies: [] }));
    g.policies.push(p);
  }
  if (boundary) groups.push({ title: 'Permissions boundary', via: null, policies: [boundary] });
  return groups;
}

/**
 * Most access first: the most actions allowed (a large service read in full outranks a
 * small one), then full access, then the service's name.
 */
export function byAccess(services: ServiceAccess[]): ServiceAccess[] {
  return [...services].sort(
    (a, b) => b.allowed - a.allowed || Number(b.fullAccess) - Number(a.fullAccess) || a.prefix.localeCompare(b.prefix),
  );
}

/** The condition keys the simulator offers; a key ending in "/" wants its tag key typed after it. */
export const CONTEXT_KEYS: { key: string; hint: string }[] = [
  { key: 'aws:MultiFactorAuthPresent', hint: 'true or false' },
  { key: 'aws:SourceIp', hint: '203.0.113.7' },
  { key: 'aws:RequestedRegion', hint: 'eu-west-1' },
  { key: 'aws:CurrentTime', hint: '2026-11-24T09:00:00Z' },
  { key: 'aws:PrincipalTag/', hint: 'the tag value' },
];

/** A condition key as typed: values separated by commas. */
export type ContextRow = { key: string; values: string };

/** The values typed for a key: comma-separated, blanks dropped. */
export function splitValues(text: string): string[] {
  return text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The chosen actions and the one still typed, each once. */
export function allActions(actions: string[], pending: string): string[] {
  const typed = pending.split(/[\s,]+/).filter(Boolean);
  return [...new Set([...actions, ...typed])];
}
