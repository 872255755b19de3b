// Where a finding's fix button leads: one pure mapping from the Rust side's `Fix` to the
// window's state (tab, open page, the part of the page to open). App.svelte applies it.
import type { Fix } from '../bindings';

/** The part of a user's page a fix opens: the MFA enrolment and rotation open their dialogs. */
export type UserFocus = 'mfa' | 'rotate' | 'keys' | 'console' | 'groups' | 'policies';
/** The part of a role's or group's page a fix opens. */
export type PrincipalFocus = 'trust' | 'policies';
export type AccountSection = 'overview' | 'audit' | 'report' | 'settings';
export type Tab = 'account' | 'users' | 'groups' | 'roles' | 'policies' | 'access';

export type Target = {
  tab: Tab;
  /** The account view's section, on the account tab. */
  section?: AccountSection;
  /** The password policy editor opens with the CIS preset's changes. */
  preset?: boolean;
  user?: { name: string; focus: UserFocus };
  group?: { name: string; focus: PrincipalFocus };
  role?: { name: string; focus: PrincipalFocus };
  /** A managed policy's ARN. */
  policy?: string;
};

export function target(fix: Fix): Target {
  switch (fix.screen) {
    case 'mfaEnrol':
      return { tab: 'users', user: { name: fix.user, focus: 'mfa' } };
    case 'rotateKey':
      return { tab: 'users', user: { name: fix.user, focus: 'rotate' } };
    case 'accessKeys':
      return { tab: 'users', user: { name: fix.user, focus: 'keys' } };
    case 'consoleAccess':
      return { tab: 'users', user: { name: fix.user, focus: 'console' } };
    case 'userGroups':
      return { tab: 'users', user: { name: fix.user, focus: 'groups' } };
    case 'userPolicies':
      return { tab: 'users', user: { name: fix.user, focus: 'policies' } };
    case 'passwordPolicy':
      return { tab: 'account', section: 'settings', preset: fix.preset };
    case 'policy':
      return { tab: 'policies', policy: fix.arn };
    case 'inlinePolicy': {
      const { kind, name } = fix.principal;
      if (kind === 'User') return { tab: 'users', user: { name, focus: 'policies' } };
      if (kind === 'Group') return { tab: 'groups', group: { name, focus: 'policies' } };
      return { tab: 'roles', role: { name, focus: 'policies' } };
    }
    case 'roleTrust':
      return { tab: 'roles', role: { name: fix.role, focus: 'trust' } };
    case 'rootConsole':
      return { tab: 'account', section: 'audit' };
  }
}
