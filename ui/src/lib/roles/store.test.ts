// The roles API: what each change reloads, and that a failed creation still shows what exists.
import { describe, expect, it } from 'vitest';
import { Workspace } from '../workspace.svelte';
import {
  callerIdentity,
  created,
  entityOf,
  fakeBackend,
  inventory,
  policy,
  role,
  roleRow,
  updated,
  type Handlers,
} from '../../test/fakeBackend';

const IDENTITY = callerIdentity('prod');

function workspace(handlers: Handlers) {
  const fake = fakeBackend(handlers);
  const ws = new Workspace(fake.backend);
  ws.identity = IDENTITY;
  ws.inventory = inventory([]);
  return { fake, ws };
}

describe('RolesApi', () => {
  it("reloads the list and the role's page after a change", async () => {
    let boundary: string | null = null;
    const { ws } = workspace({
      listRoles: () => [roleRow('deploy', { permissionsBoundary: boundary })],
      setPermissionsBoundary: (_p, principal, arn) => ((boundary = arn), updated(entityOf(principal), policy(arn))),
    });
    await ws.roles.load();
    const before = ws.revision('Role', 'deploy');
    await ws.roles.setBoundary({ kind: 'Role', name: 'deploy' }, 'arn:aws:iam::111111111111:policy/B');
    expect(ws.roles.list?.[0].permissionsBoundary).toBe('arn:aws:iam::111111111111:policy/B');
    expect(ws.revision('Role', 'deploy')).toBe(before + 1);
  });

  it('lists the role again after a creation that failed half-way', async () => {
    let made = false;
    const { ws } = workspace({
      listRoles: () => (made ? [roleRow('web')] : []),
      // The role was made; attaching its policy failed.
      createRole: (_p, spec) => {
        made = true;
        throw { code: 'LimitExceeded', message: 'Too many managed policies', changed: created(role(spec.name)) };
      },
    });
    await ws.roles.load();
    await expect(
      ws.roles.create({
        name: 'web',
        path: '/',
        description: '',
        trustPolicy: '{}',
        maxSessionDuration: null,
        policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        inlinePolicies: [],
        permissionsBoundary: null,
        tags: [],
      }),
    ).rejects.toMatchObject({ code: 'LimitExceeded' });
    expect(ws.roles.list?.map((r) => r.name)).toEqual(['web']);
  });

  it('drops an answer that comes after another profile was selected', async () => {
    const { fake, ws } = workspace({
      listRoles: () => [roleRow('old')],
      connectProfile: () => ({ ...IDENTITY, profile: 'dev' }),
      loadInventory: () => inventory([]),
    });
    fake.hold('listRoles');
    const loading = ws.roles.load();
    await ws.select('dev');
    fake.release('listRoles', 'prod');
    await loading;
    expect(ws.roles.list).toBeNull();
  });
});
