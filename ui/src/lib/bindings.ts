// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p gatehouse bindings`.
// Do not edit by hand.

import type { Channel } from '@tauri-apps/api/core';

export type ErrorCode = "NoSuchEntity" | "EntityAlreadyExists" | "LimitExceeded" | "DeleteConflict" | "MalformedPolicyDocument" | "AccessDenied" | "Throttling" | "ExpiredToken" | "InvalidCredentials" | "NoCredentials" | "EndpointUnreachable" | "InvalidInput" | "ProfileConfig" | "ProfileNotFound" | "NotConnected" | "Keychain" | "AwsService" | "Internal";

export type IpcError = { code: ErrorCode, message: string, };

export type AppInfo = { version: string, 
/**
 * Started by the sandbox script against local moto servers, not AWS.
 */
sandbox: boolean, };

export type ProfileKind = "StaticKeys" | "Sso" | "AssumeRole" | "CredentialProcess" | "WebIdentity" | "NoCredentials";

export type Profile = { name: string, region: string | null, kind: ProfileKind, 
/**
 * The role assumed (assume-role, web identity) or the SSO role name.
 */
roleArn: string | null, 
/**
 * Where the credentials come from: the source profile or credential source of an
 * assume-role profile, the SSO session or start URL, the credential process command.
 */
source: string | null, endpointUrl: string | null, };

export type FileProblem = { file: string, message: string, };

export type ProfileList = { profiles: Array<Profile>, 
/**
 * The profile to select first: `AWS_PROFILE` if it exists, else `default` if it exists.
 */
preselected: string | null, problems: Array<FileProblem>, configFile: string, credentialsFile: string, };

export type CallerIdentity = { profile: string, account: string, arn: string, userId: string, region: string, endpointUrl: string | null, };

export type Tag = { key: string, value: string, };

export type ConsoleAccess = { enabled: boolean, lastUsed: string | null, };

export type KeySummary = { count: number, active: number, 
/**
 * When the oldest key was created or last rotated.
 */
oldest: string | null, lastUsed: string | null, };

export type UserRow = { name: string, path: string, arn: string, userId: string, created: string, groups: Array<string>, attachedPolicies: Array<string>, inlinePolicies: Array<string>, tags: Array<Tag>, 
/**
 * `None` when the credential report could not be read.
 */
console: ConsoleAccess | null, mfa: boolean | null, keys: KeySummary | null, };

export type GroupRow = { name: string, path: string, arn: string, groupId: string, created: string, members: Array<string>, attachedPolicies: Array<string>, inlinePolicies: Array<string>, };

export type Inventory = { users: Array<UserRow>, groups: Array<GroupRow>, 
/**
 * Calls made to build it; the point of bulk reads.
 */
calls: number, 
/**
 * What could not be read (e.g. no permission for the credential report).
 */
warnings: Array<string>, };

export type NewUser = { name: string, path: string, tags: Array<Tag>, groups: Array<string>, newGroups: Array<string>, policies: Array<string>, 
/**
 * Copy this user's groups and directly attached policies too.
 */
copyFrom: string | null, };

export type FieldError = { field: string, message: string, };

export type AccessKeyInfo = { id: string, status: string, created: string, lastUsed: string | null, lastUsedService: string | null, lastUsedRegion: string | null, };

export type LoginProfileInfo = { created: string, resetRequired: boolean, };

export type MfaDeviceInfo = { serial: string, enabled: string, };

export type GroupPolicies = { group: string, attached: Array<string>, inline: Array<string>, };

export type UserDetail = { name: string, path: string, arn: string, userId: string, created: string, tags: Array<Tag>, loginProfile: LoginProfileInfo | null, accessKeys: Array<AccessKeyInfo>, groups: Array<string>, attachedPolicies: Array<string>, inlinePolicies: Array<string>, mfaDevices: Array<MfaDeviceInfo>, viaGroups: Array<GroupPolicies>, permissionsBoundary: string | null, };

export type PolicySummary = { name: string, arn: string, path: string, awsManaged: boolean, attachments: number, defaultVersion: string, };

export type PrincipalKind = "User" | "Group" | "Role";

export type Principal = { kind: PrincipalKind, name: string, };

export type Step = { "action": "deleteLoginProfile" } | { "action": "deleteAccessKey", id: string, } | { "action": "deleteSigningCertificate", id: string, } | { "action": "deleteSshPublicKey", id: string, } | { "action": "deleteServiceSpecificCredential", id: string, } | { "action": "deactivateMfaDevice", serial: string, } | { "action": "deleteVirtualMfaDevice", serial: string, } | { "action": "removeFromGroup", group: string, user: string, } | { "action": "removeFromInstanceProfile", instance_profile: string, } | { "action": "detachPolicy", arn: string, } | { "action": "deleteInlinePolicy", name: string, } | { "action": "deletePermissionsBoundary" } | { "action": "deletePrincipal" };

export type PlannedStep = { step: Step, text: string, };

export type DeletionPlan = { principal: Principal, steps: Array<PlannedStep>, 
/**
 * Dependencies that could not be listed; deletion may stop on DeleteConflict.
 */
warnings: Array<string>, 
/**
 * The principal no longer exists: nothing to do.
 */
gone: boolean, };

export type DeletionProgress = { principal: Principal, text: string, };

export type DeletionResult = { principal: Principal, done: Array<string>, failed: string | null, error: IpcError | null, remaining: Array<string>, };

export type SecretKind = "SecretAccessKey" | "ConsolePassword";

export type Handoff = { account: string, user: string, kind: SecretKind, 
/**
 * The access key id, or "password" for a console password.
 */
keyId: string, signInUrl: string, created: string, resetRequired: boolean, };

export type PasswordPolicy = { minLength: number, requireSymbols: boolean, requireNumbers: boolean, requireUppercase: boolean, requireLowercase: boolean, 
/**
 * AWS's default when the account sets no policy: at least three of the four kinds.
 */
threeOfFour: boolean, 
/**
 * False when the account has its own policy.
 */
isDefault: boolean, };

export type MfaEnrolment = { serial: string, 
/**
 * Base32, for typing into an authenticator by hand.
 */
seed: string, 
/**
 * The `otpauth://` URI, drawn as an SVG QR code.
 */
qrSvg: string, };

export type RotationStep = "WaitForUse" | "DeactivateOld" | "DeleteOld";

export type Rotation = { account: string, user: string, oldKey: string, newKey: string, step: RotationStep, started: string, };

export type KeyUse = { lastUsed: string | null, service: string | null, region: string | null, };

export type RotationStart = { keys: Array<AccessKeyInfo>, removeFirst: string | null, };

/** Every IPC command: its arguments and what it resolves to (errors are IpcError). */
export type Commands = {
  app_info: { args: Record<string, never>; result: AppInfo };
  list_profiles: { args: Record<string, never>; result: ProfileList };
  connect_profile: { args: { profile: string }; result: CallerIdentity };
  load_inventory: { args: { profile: string }; result: Inventory };
  user_detail: { args: { profile: string; name: string }; result: UserDetail };
  check_new_user: { args: { user: NewUser }; result: Array<FieldError> };
  user_row: { args: { profile: string; name: string }; result: UserRow | null };
  group_row: { args: { profile: string; name: string }; result: GroupRow | null };
  create_user: { args: { profile: string; user: NewUser }; result: null };
  rename_principal: { args: { profile: string; principal: Principal; newName: string | null; newPath: string | null }; result: null };
  set_tags: { args: { profile: string; principal: Principal; existing: Array<Tag>; tags: Array<Tag> }; result: null };
  remove_tags: { args: { profile: string; principal: Principal; keys: Array<string> }; result: null };
  list_policies: { args: { profile: string }; result: Array<PolicySummary> };
  attach_policy: { args: { profile: string; principal: Principal; arn: string }; result: null };
  detach_policy: { args: { profile: string; principal: Principal; arn: string }; result: null };
  get_inline_policy: { args: { profile: string; principal: Principal; name: string }; result: string };
  put_inline_policy: { args: { profile: string; principal: Principal; name: string; document: string }; result: null };
  delete_inline_policy: { args: { profile: string; principal: Principal; name: string }; result: null };
  group_detail: { args: { profile: string; name: string }; result: GroupRow };
  create_group: { args: { profile: string; name: string; path: string }; result: null };
  set_group_members: { args: { profile: string; group: string; users: Array<string>; member: boolean }; result: null };
  plan_deletion: { args: { profile: string; principals: Array<Principal> }; result: Array<DeletionPlan> };
  delete_principals: { args: { profile: string; principals: Array<Principal>; onProgress: Channel<DeletionProgress> }; result: Array<DeletionResult> };
  create_access_key: { args: { profile: string; user: string }; result: Handoff };
  set_access_key_status: { args: { profile: string; user: string; keyId: string; active: boolean }; result: null };
  delete_access_key: { args: { profile: string; user: string; keyId: string }; result: null };
  password_policy: { args: { profile: string }; result: PasswordPolicy };
  set_console_password: { args: { profile: string; user: string; password: string | null; resetRequired: boolean; create: boolean }; result: Handoff };
  delete_login_profile: { args: { profile: string; user: string }; result: null };
  pending_handoffs: { args: Record<string, never>; result: Array<Handoff> };
  reveal_secret: { args: { handoff: Handoff }; result: string };
  copy_secret: { args: { handoff: Handoff }; result: null };
  save_handoff_csv: { args: { handoff: Handoff }; result: string | null };
  complete_handoff: { args: { handoff: Handoff }; result: null };
  create_virtual_mfa: { args: { profile: string; user: string }; result: MfaEnrolment };
  enable_mfa: { args: { profile: string; user: string; serial: string; code1: string; code2: string }; result: null };
  deactivate_mfa: { args: { profile: string; user: string; serial: string }; result: null };
  delete_virtual_mfa: { args: { profile: string; serial: string }; result: null };
  rotation_start: { args: { profile: string; user: string }; result: RotationStart };
  key_last_used: { args: { profile: string; keyId: string }; result: KeyUse };
  list_rotations: { args: Record<string, never>; result: Array<Rotation> };
  save_rotation: { args: { rotation: Rotation }; result: null };
  finish_rotation: { args: { account: string; user: string }; result: null };
};
