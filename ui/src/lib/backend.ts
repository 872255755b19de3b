// The one place the UI talks to the Rust side. Components get a `Backend`, never `invoke`,
// so they run in tests against a fake.
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import type { Commands, ErrorCode, IpcError } from './bindings';

export type Invoke = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;

const CODES: readonly ErrorCode[] = [
  'NoSuchEntity', 'EntityAlreadyExists', 'LimitExceeded', 'DeleteConflict',
  'MalformedPolicyDocument', 'AccessDenied', 'Throttling', 'ExpiredToken',
  'InvalidCredentials', 'NoCredentials', 'EndpointUnreachable', 'InvalidInput',
  'ProfileConfig', 'ProfileNotFound', 'NotConnected', 'Keychain', 'AwsService', 'Internal',
];

/** Whatever was thrown, as `{code, message}`: the Rust side sends that shape already. */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof code === 'string' && (CODES as readonly string[]).includes(code)) {
      return { code: code as ErrorCode, message: String(message) };
    }
  }
  if (typeof e === 'string') return { code: 'Internal', message: e };
  if (e instanceof Error) return { code: 'Internal', message: e.message };
  return { code: 'Internal', message: 'Something went wrong, and it did not say what.' };
}

export function createBackend(invoke: Invoke) {
  async function call<K extends keyof Commands>(
    cmd: K,
    args: Commands[K]['args'],
  ): Promise<Commands[K]['result']> {
    try {
      return (await invoke(cmd, args as Record<string, unknown>)) as Commands[K]['result'];
    } catch (e) {
      throw toIpcError(e);
    }
  }
  return {
    appInfo: () => call('app_info', {}),
    listProfiles: () => call('list_profiles', {}),
    connectProfile: (profile: string) => call('connect_profile', { profile }),
    listUsers: (profile: string) => call('list_users', { profile }),
  };
}

export type Backend = ReturnType<typeof createBackend>;

export const backend: Backend = createBackend(tauriInvoke);
