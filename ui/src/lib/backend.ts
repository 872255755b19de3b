// The one seam between the UI and the Rust side: the commands generated from their Rust
// signatures (bindings.ts), each wrapped so that whatever it throws arrives as an
// `IpcError`. Components never import `commands` or `invoke`: they get a `Backend`, so they
// run in tests against a fake.
import { Channel } from '@tauri-apps/api/core';
import { commands, ERROR_CODES, type Changed, type ErrorCode, type IpcError } from './bindings';

export type Commands = typeof commands;
export type CommandName = keyof Commands;

export type Backend = Commands & {
  /** A channel the Rust side streams progress into. */
  channel<T>(onMessage: (message: T) => void): Channel<T>;
};

/**
 * Whatever was thrown, as `{code, message}`: the Rust side sends that shape already. A change
 * that failed part-way also says what it had changed (`changed`), which is kept.
 */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const { code, message, changed } = e as { code: unknown; message: unknown; changed?: unknown };
    if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
      const error: IpcError = { code: code as ErrorCode, message: String(message) };
      return Array.isArray(changed) ? Object.assign(error, { changed: changed as Changed }) : error;
    }
  }
  if (typeof e === 'string') return { code: 'Internal', message: e };
  if (e instanceof Error) return { code: 'Internal', message: e.message };
  return { code: 'Internal', message: 'Something went wrong, and it did not say what.' };
}

function makeChannel<T>(onMessage: (message: T) => void): Channel<T> {
  const channel = new Channel<T>();
  channel.onmessage = onMessage;
  return channel;
}

/** `raw`'s commands, each throwing only `IpcError`s. */
export function createBackend(raw: Partial<Commands> = commands, channel: Backend['channel'] = makeChannel): Backend {
  const wrapped: Record<string, unknown> = { channel };
  for (const [name, command] of Object.entries(raw) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await command(...args);
      } catch (e) {
        throw toIpcError(e);
      }
    };
  }
  return wrapped as Backend;
}

export const backend: Backend = createBackend();
