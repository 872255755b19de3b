// The one place the UI talks to the Rust side. Components get a `Backend`, never `invoke`,
// so they run in tests against a fake.
import { Channel, invoke as tauriInvoke } from '@tauri-apps/api/core';
import type { Commands, ErrorCode, IpcError } from './bindings';

export type Invoke = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;

const CODES: readonly ErrorCode[] = [
  'NoSuchEntity',
  'EntityAlreadyExists',
  'LimitExceeded',
  'DeleteConflict',
  'MalformedPolicyDocument',
  'AccessDenied',
  'Throttling',
  'ExpiredToken',
  'InvalidCredentials',
  'NoCredentials',
  'EndpointUnreachable',
  'InvalidInput',
  'ProfileConfig',
  'ProfileNotFound',
  'NotConnected',
  'Keychain',
  'AwsService',
  'Internal',
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

export type Call = <K extends keyof Commands>(cmd: K, args: Commands[K]['args']) => Promise<Commands[K]['result']>;

export interface Backend {
  call: Call;
  /** A channel the Rust side streams progress into. */
  channel<T>(onMessage: (message: T) => void): Channel<T>;
}

export function createBackend(
  invoke: Invoke,
  makeChannel: <T>(onMessage: (m: T) => void) => Channel<T> = (onMessage) => {
    const c = new Channel<any>();
    c.onmessage = onMessage;
    return c;
  },
): Backend {
  const call: Call = async (cmd, args) => {
    try {
      return (await invoke(cmd, args as Record<string, unknown>)) as never;
    } catch (e) {
      throw toIpcError(e);
    }
  };
  return { call, channel: makeChannel };
}

export const backend: Backend = createBackend(tauriInvoke);
