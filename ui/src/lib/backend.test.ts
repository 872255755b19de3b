import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, toIpcError } from './backend';

afterEach(() => clearMocks());

describe('backend', () => {
  it('invokes each generated command by its Rust name, with the argument names Tauri expects', async () => {
    const seen: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      seen.push({ cmd, args });
      return cmd === 'get_user' ? { name: 'ana' } : null;
    });
    const b = createBackend();
    expect(await b.getUser('prod', 'ana')).toEqual({ name: 'ana' });
    await b.renamePrincipal('p', { kind: 'User', name: 'a' }, 'b', null);
    await b.setAccessKeyStatus('p', 'ana', 'AKIA1', false);
    await b.listProfiles();
    expect(seen).toEqual([
      { cmd: 'get_user', args: { profile: 'prod', name: 'ana' } },
      {
        cmd: 'rename_principal',
        args: { profile: 'p', principal: { kind: 'User', name: 'a' }, newName: 'b', newPath: null },
      },
      { cmd: 'set_access_key_status', args: { profile: 'p', user: 'ana', keyId: 'AKIA1', active: false } },
      { cmd: 'list_profiles', args: {} },
    ]);
  });

  it('passes the Rust side {code, message} errors through unchanged', async () => {
    mockIPC(() => {
      throw { code: 'NoSuchEntity', message: 'The user with name bob cannot be found.' };
    });
    await expect(createBackend().getUser('p', 'bob')).rejects.toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name bob cannot be found.',
    });
  });

  it('turns anything else thrown into an Internal error with a message', async () => {
    mockIPC(() => {
      throw 'command get_usr not found';
    });
    await expect(createBackend().getUser('p', 'bob')).rejects.toEqual({
      code: 'Internal',
      message: 'command get_usr not found',
    });
    expect(toIpcError(new Error('boom'))).toEqual({ code: 'Internal', message: 'boom' });
    expect(toIpcError({ code: 'Nonsense', message: 'x' }).code).toBe('Internal');
    expect(toIpcError(undefined).message).toMatch(/went wrong/);
  });
});
