// What the window shows, as values: the tab, the page open beside it (one entity's, and the
// part of it to open), and the overlay above everything (at most one dialog of the window's
// own). A finding's fix button and a search result map to them here, in pure functions;
// App.svelte only applies them.
import type { FleetMatch, Fix, Handoff, PrincipalKind, Target as DeletionTarget } from './lib/bindings';
import type { DeletionStage } from './lib/deletion/DeleteDialog.svelte';

import type { AccountSection, PrincipalFocus, UserFocus } from './lib/ui/page';

export type { AccountSection };
export type Tab = 'account' | 'users' | 'groups' | 'roles' | 'policies' | 'access';

/** The page open beside the tab. A managed policy's by its ARN. */
export type Page =
  | { kind: 'User'; name: string; focus: UserFocus | null }
  | { kind: 'Group'; name: string; focus: PrincipalFocus | null }
  | { kind: 'Role'; name: string; focus: PrincipalFocus | null }
  | { kind: 'Policy'; arn: string };

/** The window's one dialog at a time (the MFA code prompt is the session's, not in here). */
export type Overlay =
  | { kind: 'palette' }
  | { kind: 'createUser' }
  | { kind: 'delete'; targets: DeletionTarget[]; stage: DeletionStage }
  | { kind: 'handoff'; handoffs: Handoff[] }
  | { kind: 'ssoSignIn'; profile: string }
  | { kind: 'keychainReview' }
  | { kind: 'searchEverywhere' }
  | { kind: 'compare' };

/** The tab each kind of page belongs to. */
export const TAB_OF: Record<Page['kind'], Tab> = { User: 'users', Group: 'groups', Role: 'roles', Policy: 'policies' };

/** A principal's page, opened at its top. */
export function principalPage(kind: PrincipalKind, name: string): Page {
  return { kind, name, focus: null };
}

export type Target = {
  tab: Tab;
  /** The account view's section, on the account tab. */
  section?: AccountSection;
  /** The password policy editor opens with the CIS preset's changes. */
  preset?: boolean;
  page?: Page;
};

/** Where a page is shown: its tab, and the page. */
function at(page: Page): Target {
  return { tab: TAB_OF[page.kind], page };
}

export function target(fix: Fix): Target {
  switch (fix.screen) {
    case 'mfaEnrol':
      return at({ kind: 'User', name: fix.user, focus: 'mfa' });
    case 'rotateKey':
      return at({ kind: 'User', name: fix.user, focus: 'rotate' });
    case 'accessKeys':
      return at({ kind: 'User', name: fix.user, focus: 'keys' });
    case 'consoleAccess':
      return at({ kind: 'User', name: fix.user, focus: 'console' });
    case 'userGroups':
      return at({ kind: 'User', name: fix.user, focus: 'groups' });
    case 'userPolicies':
      return at({ kind: 'User', name: fix.user, focus: 'policies' });
    case 'passwordPolicy':
      return { tab: 'account', section: 'settings', preset: fix.preset };
    case 'policy':
      return at({ kind: 'Policy', arn: fix.arn });
    case 'inlinePolicy':
      return at({ ...fix.principal, focus: 'policies' });
    case 'roleTrust':
      return at({ kind: 'Role', name: fix.role, focus: 'trust' });
    case 'rootConsole':
      return { tab: 'account', section: 'audit' };
  }
}

/** Where a search result opens: an access key on its owner's page (the users' tab if none). */
export function found(match: FleetMatch): Target {
  switch (match.kind) {
    case 'AccessKey':
      return match.owner ? at(principalPage('User', match.owner)) : { tab: 'users' };
    case 'Policy':
      return at({ kind: 'Policy', arn: match.arn });
    default:
      return at(principalPage(match.kind, match.name));
  }
}
