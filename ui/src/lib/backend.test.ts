import { describe, expect, it, vi } from 'vitest';
import { createBackend, toIpcError } from './backend';

describe('backend', () => {
  it('sends each command with its arguments', async () => {
    const invoke = vi.fn(async (cmd: string) => (cmd === 'list_users' ? [{ name: 'ana' }] : null));
    const b = createBackend(invoke);
    const users = await b.listUsers('prod');
    expect(invoke).toHaveBeenCalledWith('list_users', { profile: 'prod' });
    expect(users).toEqual([{ name: 'ana' }]);
    await b.connectProfile('staging');
    expect(invoke).toHaveBeenLastCalledWith('connect_profile', { profile: 'staging' });
    await b.listProfiles();
    expect(invoke).toHaveBeenLastCalledWith('list_profiles', {});
  });

  it('passes the Rust side {code, message} errors through unchanged', async () => {
    const b = createBackend(async () => {
      throw { code: 'NoSuchEntity', message: 'The user with name bob cannot be found.' };
    });
    await expect(b.listUsers('p')).rejects.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name bob cannot be found.',
    });
  });

  it('turns anything else thrown into an Internal error with a message', () => {
    expect(toIpcError('command list_usrs not found')).toEqual({ code: 'Internal', message: 'command list_usrs not found' });
    expect(toIpcError(new Error('boom'))).toEqual({ code: 'Internal', message: 'boom' });
    expect(toIpcError({ code: 'Nonsense', message: 'x' }).code).toBe('Internal');
    expect(toIpcError(undefined).message).toMatch(/went wrong/);
  });
});
