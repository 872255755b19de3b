// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p gatehouse bindings`.
// Do not edit by hand.

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

export type UserSummary = { name: string, path: string, arn: string, userId: string, 
/**
 * RFC 3339, UTC.
 */
created: string, };

/** Every IPC command: its arguments and what it resolves to (errors are IpcError). */
export type Commands = {
  app_info: { args: Record<string, never>; result: AppInfo };
  list_profiles: { args: Record<string, never>; result: ProfileList };
  connect_profile: { args: { profile: string }; result: CallerIdentity };
  list_users: { args: { profile: string }; result: Array<UserSummary> };
};
