import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import CreateRole from './CreateRole.svelte';
import InstanceProfiles from './InstanceProfiles.svelte';
import PermissionsBoundary from '../principals/PermissionsBoundary.svelte';
import RolePanel from './RolePanel.svelte';
import RolesView from './RolesView.svelte';
import { Workspace } from '../workspace.svelte';
import type { InstanceProfileRow, NewRole, PolicySummary, RoleDetail, RoleRow, TrustSpec } from '../bindings';
import { editorReadOnly, editorText, typeInEditor } from '../../test/editor';
import {
  roleRow,
  callerIdentity,
  created,
  deleted,
  done,
  entityOf,
  fakeBackend,
  instanceProfile,
  inventory,
  policy,
  role,
  updated,
  type Handlers,
} from '../../test/fakeBackend';

const TRUST = '{"Version":"2012-10-17","Statement":[]}';
const detail = (row: RoleRow): RoleDetail => ({ row, trustPolicy: TRUST });

const BOUNDARY: PolicySummary = {
  name: 'DevBoundary',
  arn: 'arn:aws:iam::111111111111:policy/DevBoundary',
  path: '/',
  awsManaged: false,
  attachments: 0,
  defaultVersion: 'v1',
  description: '',
  created: '2025-01-01T00:00:00Z',
  updated: '2025-01-01T00:00:00Z',
};

function connected(handlers: Handlers) {
  const fake = fakeBackend({ validatePolicy: () => ({ findings: [], size: 10, limit: 2048 }), ...handlers });
  const ws = new Workspace(fake.backend);
  ws.identity = callerIdentity('prod');
  ws.inventory = inventory([]);
  return { fake, ws };
}

const called = (fake: ReturnType<typeof fakeBackend>, cmd: string) => fake.calls.filter((c) => c.cmd === cmd);

describe('RolesView', () => {
  it('lists roles with trusted entities in words, session, last use, and marks service-linked roles', async () => {
    const { ws } = connected({
      listRoles: () => [
        roleRow('deploy', {
          trusted: ['GitHub OIDC'],
          maxSessionDuration: 7200,
          lastUsed: { date: '2026-11-20T08:00:00Z', region: 'eu-west-1' },
        }),
        roleRow('AWSServiceRoleForECS', {
          path: '/aws-service-role/ecs.amazonaws.com/',
          serviceLinked: true,
          trusted: ['ECS'],
        }),
        roleRow('audit', { trusted: ['account 123456789012 with MFA'] }),
        roleRow('odd', { lastUsed: { date: '', region: null } }),
      ],
    });
    render(RolesView, { ws, onopen: () => {}, ondelete: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('role-row')).toHaveLength(4));
    const row = (n: string) => document.querySelector(`[data-testid="role-row"][data-name="${n}"]`) as HTMLElement;
    expect(within(row('deploy')).getByTestId('role-trusted').textContent).toBe('GitHub OIDC');
    expect(row('deploy').textContent).toContain('2 h');
    expect(within(row('deploy')).getByTestId('role-last-used').textContent).toBe('2026-11-20 · eu-west-1');
    expect(within(row('audit')).getByTestId('role-last-used').textContent).toBe('never');
    expect(within(row('audit')).getByTestId('role-trusted').textContent).toBe('account 123456789012 with MFA');
    expect(within(row('odd')).getByTestId('role-last-used').textContent).toBe('unknown');
    expect(within(row('AWSServiceRoleForECS')).queryByTestId('service-linked')).not.toBeNull();
    expect(within(row('deploy')).queryByTestId('service-linked')).toBeNull();
    // Service-linked roles cannot be picked for deletion.
    expect(within(row('AWSServiceRoleForECS')).queryByRole('checkbox')).toBeNull();

    await fireEvent.input(screen.getByTestId('roles-search'), { target: { value: 'mfa' } });
    expect(screen.getAllByTestId('role-row').map((r) => r.dataset.name)).toEqual(['audit']);
    expect(screen.getByTestId('role-count').textContent).toBe('1 of 4');
  });

  it('deletes the selected roles through the deletion dialog', async () => {
    const { ws } = connected({ listRoles: () => [roleRow('a'), roleRow('b')] });
    let asked: unknown = null;
    render(RolesView, { ws, onopen: () => {}, ondelete: (p: unknown) => (asked = p) });
    await fireEvent.click(await screen.findByLabelText('Select b'));
    await fireEvent.click(screen.getByTestId('delete-selected-roles'));
    expect(asked).toEqual([{ kind: 'Role', name: 'b' }]);
  });
});

describe('CreateRole', () => {
  it('builds a service trust policy, shows it in the editor before anything is sent, and creates with the edits', async () => {
    let built: TrustSpec | null = null;
    let sent: NewRole | null = null;
    const { fake, ws } = connected({
      listServicePrincipals: () => [
        { principal: 'ec2.amazonaws.com', service: 'Amazon EC2' },
        { principal: 'lambda.amazonaws.com', service: 'AWS Lambda' },
      ],
      buildTrustPolicy: (spec) => {
        built = spec;
        return '{"Principal":{"Service":"ec2.amazonaws.com"}}';
      },
      listPolicies: () => [],
      createRole: (_p, spec) => {
        sent = spec;
        // The role, then each managed policy attached and inline policy put.
        const dressed = spec.policies.length || spec.inlinePolicies.length ? [role(spec.name)] : [];
        return done(roleRow(spec.name), [
          ...created(role(spec.name)),
          ...updated(...dressed, ...spec.policies.map(policy)),
        ]);
      },
      listRoles: () => [],
    });
    let opened = '';
    render(CreateRole, { ws, onclose: () => {}, oncreated: (n: string) => (opened = n) });

    await fireEvent.click(screen.getByTestId('trust-kind-service'));
    await fireEvent.input(screen.getByTestId('service-principal-search'), { target: { value: 'ec2' } });
    const options = await screen.findAllByTestId('service-principal');
    expect(options.map((o) => o.dataset.principal)).toEqual(['ec2.amazonaws.com']);
    await fireEvent.click(options[0]);
    await fireEvent.click(screen.getByTestId('wizard-next'));

    await waitFor(() => expect(editorText('trust-policy')).toContain('ec2.amazonaws.com'));
    expect(built).toEqual({ kind: 'service', principals: ['ec2.amazonaws.com'] });
    expect(called(fake, 'createRole')).toHaveLength(0);

    const edited = '{"Principal":{"Service":["ec2.amazonaws.com","ssm.amazonaws.com"]}}';
    typeInEditor('trust-policy', edited);
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await fireEvent.input(screen.getByTestId('role-name'), { target: { value: 'web-server' } });
    await fireEvent.change(screen.getByTestId('role-max-session'), { target: { value: '4' } });
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await fireEvent.click(await screen.findByTestId('create-role-submit'));

    await waitFor(() => expect(opened).toBe('web-server'));
    expect(sent).toMatchObject({
      name: 'web-server',
      path: '/',
      trustPolicy: edited,
      maxSessionDuration: 4 * 3600,
      policies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
      tags: [],
    });
  });

  it('does not go on while the validator reports errors in the trust policy', async () => {
    const { ws } = connected({
      listServicePrincipals: () => [{ principal: 'ec2.amazonaws.com', service: 'Amazon EC2' }],
      buildTrustPolicy: () => '{}',
      validatePolicy: () => ({
        findings: [
          { code: 'MISSING_PRINCIPAL', severity: 'error', message: 'No principal', from: 0, to: 1, line: 1, column: 1 },
        ],
        size: 2,
        limit: 2048,
      }),
    });
    render(CreateRole, { ws, onclose: () => {}, oncreated: () => {} });
    await fireEvent.click(await screen.findByTestId('service-principal'));
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await screen.findByTestId('trust-errors');
    expect((screen.getByTestId('wizard-next') as HTMLButtonElement).disabled).toBe(true);
  });

  it('builds an account trust with external id and MFA', async () => {
    let built: TrustSpec | null = null;
    const { ws } = connected({
      listServicePrincipals: () => [],
      buildTrustPolicy: (spec) => ((built = spec), '{}'),
    });
    render(CreateRole, { ws, onclose: () => {}, oncreated: () => {} });
    await fireEvent.click(screen.getByTestId('trust-kind-account'));
    await fireEvent.input(await screen.findByTestId('trust-account'), { target: { value: '123456789012' } });
    await fireEvent.input(screen.getByTestId('trust-external-id'), { target: { value: 'xyz' } });
    await fireEvent.click(screen.getByTestId('trust-require-mfa'));
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() =>
      expect(built).toEqual({ kind: 'account', accountId: '123456789012', externalId: 'xyz', requireMfa: true }),
    );
  });
  it("builds web identity and SAML trusts from the account's providers", async () => {
    const built: TrustSpec[] = [];
    const { ws } = connected({
      listServicePrincipals: () => [],
      listIdentityProviders: () => ({
        oidc: [
          {
            arn: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
            url: 'token.actions.githubusercontent.com',
            audiences: ['sts.amazonaws.com'],
          },
        ],
        saml: [{ arn: 'arn:aws:iam::111111111111:saml-provider/okta', name: 'okta' }],
      }),
      buildTrustPolicy: (spec) => (built.push(spec), '{}'),
    });
    render(CreateRole, { ws, onclose: () => {}, oncreated: () => {} });
    await fireEvent.click(screen.getByTestId('trust-kind-webIdentity'));
    await fireEvent.change(await screen.findByTestId('trust-oidc'), {
      target: { value: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
    });
    expect((screen.getByTestId('trust-audience') as HTMLInputElement).value).toBe('sts.amazonaws.com');
    await fireEvent.input(screen.getByTestId('trust-subject'), { target: { value: 'repo:acme/web:*' } });
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(built).toHaveLength(1));
    expect(built[0]).toEqual({
      kind: 'webIdentity',
      providerArn: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      audience: 'sts.amazonaws.com',
      subject: 'repo:acme/web:*',
    });

    await fireEvent.click(screen.getByText('Back'));
    await fireEvent.click(screen.getByTestId('trust-kind-saml'));
    await fireEvent.change(await screen.findByTestId('trust-saml'), {
      target: { value: 'arn:aws:iam::111111111111:saml-provider/okta' },
    });
    await fireEvent.click(screen.getByTestId('wizard-next'));
    await waitFor(() => expect(built).toHaveLength(2));
    expect(built[1]).toEqual({ kind: 'saml', providerArn: 'arn:aws:iam::111111111111:saml-provider/okta' });
  });
});

describe('RolePanel', () => {
  it('disables the edits AWS refuses on a service-linked role, and says why', async () => {
    const row = roleRow('AWSServiceRoleForECS', { serviceLinked: true, trusted: ['ECS'] });
    const { ws } = connected({ getRole: () => detail(row), listInstanceProfiles: () => [] });
    render(RolePanel, { ws, name: row.name, onclose: () => {}, ondelete: () => {} });
    await screen.findByTestId('service-linked-note');
    expect((screen.getByTestId('delete-role') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId('edit-trust')).toBeNull();
    expect(editorReadOnly('trust-policy')).toBe(true);
    expect(screen.queryByTestId('attach-policies')).toBeNull();
    expect(screen.queryByTestId('set-boundary')).toBeNull();
    expect(screen.queryByTestId('create-instance-profile')).toBeNull();
  });

  it('sets a boundary on the role, from its page', async () => {
    const row = roleRow('deploy');
    const { fake, ws } = connected({
      getRole: () => detail(row),
      listInstanceProfiles: () => [],
      listPolicies: () => [BOUNDARY],
      setPermissionsBoundary: (_p, principal, arn) => updated(entityOf(principal), policy(arn)),
    });
    render(RolePanel, { ws, name: 'deploy', onclose: () => {}, ondelete: () => {} });
    await fireEvent.click(await screen.findByTestId('set-boundary'));
    await fireEvent.click(await screen.findByRole('checkbox', { name: /DevBoundary/ }));
    await fireEvent.click(screen.getByTestId('save-boundary'));
    await waitFor(() => expect(called(fake, 'setPermissionsBoundary')).toHaveLength(1));
    expect(called(fake, 'setPermissionsBoundary')[0].args).toEqual([
      'prod',
      { kind: 'Role', name: 'deploy' },
      BOUNDARY.arn,
    ]);
  });

  it('edits the trust policy and saves it through updateTrustPolicy', async () => {
    let trust = TRUST;
    const row = roleRow('deploy', { trusted: ['EC2'] });
    const { fake, ws } = connected({
      getRole: () => ({ row, trustPolicy: trust }),
      listInstanceProfiles: () => [],
      updateTrustPolicy: (_p, name, document) => ((trust = document), updated(role(name))),
    });
    let deleting: unknown = null;
    render(RolePanel, { ws, name: 'deploy', onclose: () => {}, ondelete: (p: unknown) => (deleting = p) });
    await fireEvent.click(await screen.findByTestId('edit-trust'));
    typeInEditor('trust-policy', '{"changed":true}');
    await fireEvent.click(screen.getByTestId('save-trust'));
    await waitFor(() => expect(screen.queryByTestId('save-trust')).toBeNull());
    expect(called(fake, 'updateTrustPolicy')[0].args).toEqual(['prod', 'deploy', '{"changed":true}']);
    await waitFor(() => expect(editorText('trust-policy')).toBe('{"changed":true}'));
    await fireEvent.click(screen.getByTestId('delete-role'));
    expect(deleting).toEqual([{ kind: 'Role', name: 'deploy' }]);
  });
});

describe('PermissionsBoundary', () => {
  it('sets a boundary from the picker and removes it after asking, for the given principal', async () => {
    const { fake, ws } = connected({
      listPolicies: () => [BOUNDARY],
      setPermissionsBoundary: (_p, principal, arn) => updated(entityOf(principal), policy(arn)),
      removePermissionsBoundary: (_p, principal) => updated(entityOf(principal)),
      getUserRow: () => null,
    });
    const principal = { kind: 'User', name: 'ana' } as const;
    const view = render(PermissionsBoundary, { ws, principal, boundary: null });
    await fireEvent.click(screen.getByTestId('set-boundary'));
    await fireEvent.click(await screen.findByRole('checkbox', { name: /DevBoundary/ }));
    await fireEvent.click(screen.getByTestId('save-boundary'));
    await waitFor(() => expect(called(fake, 'setPermissionsBoundary')).toHaveLength(1));
    expect(called(fake, 'setPermissionsBoundary')[0].args).toEqual(['prod', principal, BOUNDARY.arn]);

    await view.rerender({ principal, boundary: BOUNDARY.arn });
    await fireEvent.click(await screen.findByTestId('remove-boundary'));
    expect(called(fake, 'removePermissionsBoundary')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('confirm-remove-boundary'));
    await waitFor(() => expect(called(fake, 'removePermissionsBoundary')).toHaveLength(1));
    expect(called(fake, 'removePermissionsBoundary')[0].args).toEqual(['prod', principal]);
  });
});

describe('InstanceProfiles', () => {
  it('creates one for the role, removes the role from one, and deletes one after asking', async () => {
    let profiles: InstanceProfileRow[] = [
      {
        name: 'web',
        path: '/',
        arn: 'arn:aws:iam::111111111111:instance-profile/web',
        created: '2025-01-01T00:00:00Z',
        roles: ['deploy'],
      },
      {
        name: 'old',
        path: '/',
        arn: 'arn:aws:iam::111111111111:instance-profile/old',
        created: '2025-01-01T00:00:00Z',
        roles: ['deploy'],
      },
    ];
    const { fake, ws } = connected({
      listInstanceProfiles: () => profiles,
      createInstanceProfile: (_p, name, path, r) => {
        const row = {
          name,
          path,
          arn: `arn:aws:iam::111111111111:instance-profile/${name}`,
          created: '2026-01-01T00:00:00Z',
          roles: r ? [r] : [],
        };
        profiles = [...profiles, row];
        return done(row, [...created(instanceProfile(name)), ...(r ? updated(instanceProfile(name), role(r)) : [])]);
      },
      removeRoleFromInstanceProfile: (_p, ip, r) => {
        profiles = profiles.map((p) => (p.name === ip ? { ...p, roles: p.roles.filter((x) => x !== r) } : p));
        return updated(instanceProfile(ip), role(r));
      },
      // The Rust side takes its roles out first (AWS refuses to delete a profile holding one).
      deleteInstanceProfile: (_p, ip) => {
        const held = profiles.find((p) => p.name === ip)?.roles ?? [];
        profiles = profiles.filter((p) => p.name !== ip);
        return [...held.flatMap((r) => updated(instanceProfile(ip), role(r))), ...deleted(instanceProfile(ip))];
      },
    });
    render(InstanceProfiles, { ws, role: 'deploy' });
    const rows = () => screen.queryAllByTestId('instance-profile').map((r) => r.dataset.name);
    await waitFor(() => expect(rows()).toEqual(['web', 'old']));

    await fireEvent.click(screen.getByTestId('create-instance-profile'));
    await fireEvent.input(screen.getByTestId('instance-profile-name'), { target: { value: 'deploy-ec2' } });
    await fireEvent.click(screen.getByTestId('save-instance-profile'));
    await waitFor(() => expect(rows()).toEqual(['web', 'old', 'deploy-ec2']));
    expect(called(fake, 'createInstanceProfile')[0].args).toEqual(['prod', 'deploy-ec2', '/', 'deploy']);

    const web = () => document.querySelector('[data-testid="instance-profile"][data-name="web"]') as HTMLElement;
    await fireEvent.click(within(web()).getByTestId('remove-from-instance-profile'));
    expect(called(fake, 'removeRoleFromInstanceProfile')).toHaveLength(0);
    await fireEvent.click(within(web()).getByTestId('confirm-instance-profile'));
    await waitFor(() => expect(rows()).toEqual(['old', 'deploy-ec2']));
    expect(called(fake, 'removeRoleFromInstanceProfile')[0].args).toEqual(['prod', 'web', 'deploy']);

    const old = () => document.querySelector('[data-testid="instance-profile"][data-name="old"]') as HTMLElement;
    // The list may show the removal before the change is done: its buttons wait for it.
    await waitFor(() => expect(within(old()).getByTestId('delete-instance-profile')).toHaveProperty('disabled', false));
    await fireEvent.click(within(old()).getByTestId('delete-instance-profile'));
    await fireEvent.click(within(old()).getByTestId('confirm-instance-profile'));
    await waitFor(() => expect(rows()).toEqual(['deploy-ec2']));
    // AWS refuses to delete a profile that holds a role: the Rust side's one command takes
    // the role out first, so the window sends nothing else.
    expect(called(fake, 'removeRoleFromInstanceProfile')).toHaveLength(1);
    expect(called(fake, 'deleteInstanceProfile').map((c) => c.args)).toEqual([['prod', 'old']]);
  });
});
