// How every store changes something. The change is made with the profile selected when it
// starts; the Rust side answers with what it changed (`Changed`: each user, group, role,
// policy, key… and how), also when it fails part-way (the error's `changed`). The session
// announces it, and each store that shows one of those entities reloads it (its own
// `onChange`); open pages reload through `session.revision`. Components never decide that,
// and no store says by hand what a command touches: they call a store's method and the
// table, the open page and the counts agree once it returns.
//
// All of it only while that profile is still selected: an answer that comes after a switch
// changes nothing of the new profile's state, and what is kept of the profile is dropped
// (it predates the change).
import { toIpcError, type Backend } from './backend';
import type { Changed, Done, GroupRow, PrincipalKind, UserRow } from './bindings';
import type { ChangeListener, Scope, Session } from './session.svelte';

/** What a failed change had changed before it failed (the Rust side says so on the error). */
export function changedBy(error: unknown): Changed {
  const changed = (error as { changed?: unknown } | null)?.changed;
  return Array.isArray(changed) ? (changed as Changed) : [];
}

/**
 * Several commands one after another, as one change: when one fails, the error carries
 * what the ones before it changed, as a failure of one command of several calls does.
 */
export async function inTurn(steps: (() => Promise<Changed>)[]): Promise<Changed> {
  const done: Changed = [];
  for (const step of steps) {
    try {
      done.push(...(await step()));
    } catch (e) {
      throw { ...toIpcError(e), changed: [...done, ...changedBy(e)] };
    }
  }
  return done;
}

export abstract class DomainApi {
  constructor(protected readonly session: Session) {}

  protected get backend(): Backend {
    return this.session.backend;
  }

  /** The selected profile, for reads. */
  protected get profile(): string {
    return this.session.profile;
  }

  /**
   * Runs `run` with the selected profile (or `scope`'s), then has every store reload what it
   * changed, after a failure too (what it did before failing). The change's own error is thrown.
   */
  protected async change(
    run: (profile: string) => Promise<Changed>,
    scope: Scope = this.session.scope(),
  ): Promise<void> {
    await this.changeWith(async (profile) => ({ value: undefined, changed: await run(profile) }), scope);
  }

  /** `change` for a command that answers with something besides what it changed. */
  protected async changeWith<T>(
    run: (profile: string) => Promise<Done<T>>,
    scope: Scope = this.session.scope(),
  ): Promise<T> {
    let done: Done<T>;
    // While it runs, whether AWS throttles it (the progress beside it says so).
    const unwatch = this.session.throttle.watch(scope.profile);
    try {
      done = await run(scope.profile);
    } catch (e) {
      unwatch();
      await this.session.announce(scope, changedBy(e));
      throw e;
    }
    unwatch();
    await this.session.announce(scope, done.changed);
    return done.value;
  }
}

/**
 * The inventory's part of a change: the rows of the users and groups it changed are read
 * again (a user's keys, MFA devices and console password show on its row), and their pages
 * reload. A renamed user's groups list it by name, and a renamed group's members list it.
 */
export function rowsAfter(session: Session): ChangeListener {
  return async (scope, changed) => {
    if (!session.isCurrent(scope)) return;
    const users = new Set<string>();
    const groups = new Set<string>();
    const moves: Promise<void>[] = [];
    for (const { entity, how } of changed) {
      switch (entity.kind) {
        case 'User':
          if (how.kind !== 'Renamed') users.add(entity.name);
          else {
            moves.push(userRow(session, scope, how.to, entity.name));
            for (const g of session.inventory?.users.find((u) => u.name === entity.name)?.groups ?? []) groups.add(g);
          }
          break;
        case 'Group':
          if (how.kind !== 'Renamed') groups.add(entity.name);
          else {
            moves.push(groupRow(session, scope, how.to, entity.name));
            for (const u of session.inventory?.groups.find((g) => g.name === entity.name)?.members ?? []) users.add(u);
          }
          break;
        case 'AccessKey':
        case 'MfaDevice':
        case 'LoginProfile':
          users.add(entity.user);
          break;
      }
    }
    await Promise.all([
      ...moves,
      ...[...users].map((u) => userRow(session, scope, u)),
      ...[...groups].map((g) => groupRow(session, scope, g)),
    ]);
  };
}

/** The names of the entities of `kind` that `changed` names (by ARN for policies). */
export function namesIn(changed: Changed, kind: 'Role' | 'Policy'): string[] {
  const names = new Set<string>();
  for (const { entity } of changed) {
    if (entity.kind === 'Role' && kind === 'Role') names.add(entity.name);
    if (entity.kind === 'Policy' && kind === 'Policy') names.add(entity.arn);
  }
  return [...names];
}

/**
 * Reads one user's row again and puts it in the inventory in place of `previousName`'s, or
 * drops it when the user is gone; then tells its page to reload, unless it is gone.
 */
async function userRow(session: Session, scope: Scope, name: string, previousName = name): Promise<void> {
  const row = await readRow(session, scope, 'User', name, () => session.backend.getUserRow(scope.profile, name));
  if (row === undefined || !session.isCurrent(scope)) return;
  if (session.inventory) {
    const users = session.inventory.users;
    const was = users.find((u) => u.name === previousName);
    if (row && was?.console?.lastUsed && row.console) {
      // The last sign-in comes only from the credential report: keep what it said.
      row.console.lastUsed = was.console.lastUsed;
    }
    session.inventory = { ...session.inventory, users: replaceRow(users, row, name, previousName) };
  }
  if (row) session.touch(scope, 'User', name);
}

async function groupRow(session: Session, scope: Scope, name: string, previousName = name): Promise<void> {
  const row = await readRow(session, scope, 'Group', name, () => session.backend.getGroupRow(scope.profile, name));
  if (row === undefined || !session.isCurrent(scope)) return;
  if (session.inventory)
    session.inventory = { ...session.inventory, groups: replaceRow(session.inventory.groups, row, name, previousName) };
  if (row) session.touch(scope, 'Group', name);
}

/**
 * A row read again, `null` when the principal is gone, `undefined` when it could not be
 * read: then the row keeps what it showed, and the principal's page reloads and says why.
 */
async function readRow<R>(
  session: Session,
  scope: Scope,
  kind: PrincipalKind,
  name: string,
  read: () => Promise<R | null>,
): Promise<R | null | undefined> {
  try {
    return await read();
  } catch {
    session.touch(scope, kind, name);
    return undefined;
  }
}

function replaceRow<R extends UserRow | GroupRow>(rows: R[], row: R | null, name: string, previousName: string): R[] {
  const next = rows.filter((r) => r.name !== previousName && r.name !== name);
  if (row) next.push(row);
  return next.sort((a, b) => a.name.localeCompare(b.name));
}
