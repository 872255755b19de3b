import type { PrincipalKind } from '../bindings';

// The parts of a page that can be opened from elsewhere (a finding's fix, a search result):
// the window says which, the page scrolls to it or opens its dialog.

/** The part of a user's page to open: the MFA enrolment and rotation open their dialogs. */
export type UserFocus = 'mfa' | 'rotate' | 'keys' | 'console' | 'groups' | 'policies';
/** The part of a role's or group's page to open. */
export type PrincipalFocus = 'trust' | 'policies';
/** The account view's sections. */
export type AccountSection = 'overview' | 'audit' | 'report' | 'settings';

/** A principal's kind in a sentence: "the user", "the group", "the role". */
export const KIND_WORD: Record<PrincipalKind, string> = { User: 'user', Group: 'group', Role: 'role' };
