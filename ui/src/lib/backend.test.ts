import { describe, expect, it, vi } from 'vitest';
import { createBackend, toIpcError } from './backend';

describe('backend', () => {
  it('sends each command with its arguments, camelCase as Tauri expects', async () => {
    const invoke = vi.fn(async (cmd: string) => (cmd === 'user_detail' ? { name: 'ana' } : null));
    const b = createBackend(invoke);
    expect(await b.call('user_detail', { profile: 'prod', name: 'ana' })).toEqual({ name: 'ana' });
    expect(invoke).toHaveBeenCalledWith('user_detail', { profile: 'prod', name: 'ana' });
    await b.call('rename_principal', {
      profile: 'p',
      principal: { kind: 'User', name: 'a' },
      newName: 'b',
      newPath: null,
    });
    expect(invoke).toHaveBeenLastCalledWith('rename_principal', {
      profile: 'p',
      principal: { kind: 'User', name: 'a' },
      newName: 'b',
      newPath: null,
    });
    await b.call('list_profiles', {});
    expect(invoke).toHaveBeenLastCalledWith('list_profiles', {});
  });

  it('passes the Rust side {code, message} errors through unchanged', async () => {
    const b = createBackend(async () => {
      throw { code: 'NoSuchEntity', message: 'The user with name bob cannot be found.' };
    });
    await expect(b.call('user_detail', { profile: 'p', name: 'bob' })).rejects.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name bob cannot be found.',
    });
  });

  it('turns anything else thrown into an Internal error with a message', () => {
    expect(toIpcError('command list_usrs not found')).toEqual({
      code: 'Internal',
      message: 'command list_usrs not found',
    });
    expect(toIpcError(new Error('boom'))).toEqual({ code: 'Internal', message: 'boom' });
    expect(toIpcError({ code: 'Nonsense', message: 'x' }).code).toBe('Internal');
    expect(toIpcError(undefined).message).toMatch(/went wrong/);
  });
});
