// How every API changes something. The change is made with the profile selected when it
// starts; afterwards the inventory rows it touched are read again and the pages showing
// those principals reload (through `ws.revision`). Components never decide that: they call
// an API method and the table, the open page and the counts agree once it returns.
//
// All of it only while that profile is still selected: an answer that comes after a switch
// changes nothing of the new profile's state, and the profile's cached snapshot is dropped
// (it predates the change).
import type { Backend } from './backend';
import type { GroupRow, Principal, PrincipalKind, UserRow } from './bindings';
import type { Scope, Workspace } from './workspace.svelte';

/** What a change touched. */
export type Touched = {
  users?: string[];
  groups?: string[];
  roles?: string[];
  /** Managed policies, by ARN. */
  policies?: string[];
  /** A rename or move: the row under the old name gives way to the one under `to`. */
  renamed?: { principal: Principal; to: string };
  /** A secret may have been written to the keychain: the pending handoffs are listed again. */
  handoffs?: boolean;
};

/** What a change to one principal touches. */
export function touchedBy(principal: Principal): Touched {
  const { kind, name } = principal;
  return kind === 'User' ? { users: [name] } : kind === 'Group' ? { groups: [name] } : { roles: [name] };
}

export abstract class DomainApi {
  constructor(protected readonly ws: Workspace) {}

  protected get backend(): Backend {
    return this.ws.backend;
  }

  /** The selected profile, for reads. */
  protected get profile(): string {
    return this.ws.profile;
  }

  /**
   * Runs `run` with the selected profile (or `scope`'s), then reloads what it `touched`.
   * A `partial` change may have done part of its work when it fails (several calls in one),
   * so what it touched is reloaded after a failure too. The change's own error is thrown.
   */
  protected async change<T>(
    run: (profile: string) => Promise<T>,
    touched: Touched,
    { partial = false, scope = this.ws.scope() }: { partial?: boolean; scope?: Scope } = {},
  ): Promise<T> {
    let result: T;
    // While it runs, whether AWS throttles it (the progress beside it says so).
    const unwatch = this.ws.throttle.watch(scope.profile);
    try {
      result = await run(scope.profile);
    } catch (e) {
      unwatch();
      if (partial) await settle(this.ws, scope, touched);
      throw e;
    }
    unwatch();
    await settle(this.ws, scope, touched);
    return result;
  }
}

/** Reloads what a change touched. Never throws: the change's outcome is what callers hear. */
export async function settle(ws: Workspace, scope: Scope, touched: Touched): Promise<void> {
  // The handoffs are the keychain's, across accounts: listed again whatever is selected now.
  const handoffs = touched.handoffs ? ws.handoffs.load() : null;
  if (ws.isCurrent(scope)) {
    // Who can do what was answered from a snapshot read before this change.
    if (ws.access.snapshot) ws.access.stale = true;
    // So was the audit.
    if (ws.account.audit) ws.account.auditStale = true;
    const { renamed } = touched;
    const users = new Set(touched.users);
    const groups = new Set(touched.groups);
    const roles = new Set(touched.roles);
    const moves: Promise<void>[] = [];
    if (renamed?.principal.kind === 'User') moves.push(userRow(ws, scope, renamed.to, renamed.principal.name));
    else if (renamed?.principal.kind === 'Group') moves.push(groupRow(ws, scope, renamed.to, renamed.principal.name));
    else if (renamed) roles.add(renamed.to);
    await Promise.all([
      ...moves,
      ws.roles.settle(scope, [...roles]),
      ws.policies.settle(scope, touched.policies ?? []),
      ...[...users].map((u) => userRow(ws, scope, u)),
      ...[...groups].map((g) => groupRow(ws, scope, g)),
    ]);
  }
  // Another profile was selected before the change was done (or while its rows were read
  // again): what the workspace cached of the profile is older than the change.
  if (!ws.isCurrent(scope)) ws.forget(scope.profile);
  await handoffs;
}

/**
 * Reads one user's row again and puts it in the inventory in place of `previousName`'s, or
 * drops it when the user is gone; then tells its page to reload, unless it is gone.
 */
async function userRow(ws: Workspace, scope: Scope, name: string, previousName = name): Promise<void> {
  const row = await readRow(ws, scope, 'User', name, () => ws.backend.getUserRow(scope.profile, name));
  if (row === undefined || !ws.isCurrent(scope)) return;
  if (ws.inventory) {
    const users = ws.inventory.users;
    const was = users.find((u) => u.name === previousName);
    if (row && was?.console?.lastUsed && row.console) {
      // The last sign-in comes only from the credential report: keep what it said.
      row.console.lastUsed = was.console.lastUsed;
    }
    ws.inventory = { ...ws.inventory, users: replaceRow(users, row, name, previousName) };
  }
  if (row) ws.touch(scope, 'User', name);
}

async function groupRow(ws: Workspace, scope: Scope, name: string, previousName = name): Promise<void> {
  const row = await readRow(ws, scope, 'Group', name, () => ws.backend.getGroupRow(scope.profile, name));
  if (row === undefined || !ws.isCurrent(scope)) return;
  if (ws.inventory)
    ws.inventory = { ...ws.inventory, groups: replaceRow(ws.inventory.groups, row, name, previousName) };
  if (row) ws.touch(scope, 'Group', name);
}

/**
 * A row read again, `null` when the principal is gone, `undefined` when it could not be
 * read: then the row keeps what it showed, and the principal's page reloads and says why.
 */
async function readRow<R>(
  ws: Workspace,
  scope: Scope,
  kind: PrincipalKind,
  name: string,
  read: () => Promise<R | null>,
): Promise<R | null | undefined> {
  try {
    return await read();
  } catch {
    ws.touch(scope, kind, name);
    return undefined;
  }
}

function replaceRow<R extends UserRow | GroupRow>(rows: R[], row: R | null, name: string, previousName: string): R[] {
  const next = rows.filter((r) => r.name !== previousName && r.name !== name);
  if (row) next.push(row);
  return next.sort((a, b) => a.name.localeCompare(b.name));
}
