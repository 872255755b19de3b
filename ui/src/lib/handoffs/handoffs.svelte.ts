// What Gatehouse keeps in the keychain, across accounts: pending handoffs (secrets waiting to
// be given to their owner), passwords staged before AWS answered (AWS may or may not have
// them), notes of access keys whose secret was lost when the app stopped, and entries that
// could not be read (set aside, left as they are). The secret itself reaches the webview
// only on an explicit reveal.
//
// The list is read again after every change that may write a secret; what needs a look
// (staged passwords, lost keys, damaged entries) is announced once: `news` holds what the
// user has not been told of yet, and `acknowledge()` marks it told.
import { Latest } from '../ui/latest.svelte';
import type { AccessKeyInfo, Damaged, Handoff, HandoffId, IpcError, LostKey, Unconfirmed } from '../bindings';
import type { Session } from '../session.svelte';
import { DomainApi } from '../change';

/** Only which handoff: the rest is read from the keychain by the Rust side, never sent. */
export function handoffId(h: HandoffId): HandoffId {
  return { account: h.account, user: h.user, kind: h.kind, keyId: h.keyId };
}

/** One string per handoff, for keyed lists and maps. */
export function handoffKey(h: HandoffId): string {
  return `${h.account}/${h.user}/${h.kind}/${h.keyId}`;
}

/** What a handoff holds, as a sentence names it: "access key AKIA…", "console password". */
export function handoffLabel(h: HandoffId): string {
  if (h.kind === 'SecretAccessKey') return `access key ${h.keyId}`;
  return h.keyId.startsWith('staged-') ? 'staged console password' : 'console password';
}

/** Whether an RFC 3339 time is at or after another (string order when one is not a time). */
export function atOrAfter(time: string, since: string): boolean {
  const t = Date.parse(time);
  const s = Date.parse(since);
  return Number.isNaN(t) || Number.isNaN(s) ? time >= since : t >= s;
}

/** What needs a look, not told of yet. */
export type News = { unconfirmed: Unconfirmed[]; lostKeys: LostKey[]; damaged: Damaged[] };

const stagedKey = (u: Unconfirmed) => `staged:${handoffKey(u.handoff)}`;
const lostKey = (l: LostKey) => `lost:${l.entry}`;
const damagedKey = (d: Damaged) => `damaged:${d.entry}`;

export class HandoffsApi extends DomainApi {
  pending = $state<Handoff[]>([]);
  /** Passwords staged before AWS was asked to set them, whose change never reported back. */
  unconfirmed = $state<Unconfirmed[]>([]);
  /** Access keys that may exist at AWS while their secret was never filed. */
  lostKeys = $state<LostKey[]>([]);
  /** Entries that could not be read; every other handoff works as usual. */
  damaged = $state<Damaged[]>([]);
  /** The keychain could not be read: the lists are unknown. */
  error = $state<IpcError | null>(null);
  /** What the user was told of (`stagedKey`, `lostKey`, `damagedKey`), for this session. */
  #told = $state<Record<string, true>>({});
  #listing = new Latest();

  constructor(session: Session) {
    super(session);
    // A secret went into or out of the keychain: the lists are read again, whatever is selected.
    session.onChange((_scope, changed) =>
      changed.some((c) => c.entity.kind === 'Keychain') ? this.load() : undefined,
    );
  }

  /** Lists the keychain's entries again; a failure goes to `error`. The last listing started wins. */
  async load(): Promise<void> {
    // A failure stays shown while the keychain is read again: no `busy` or `error` of its own.
    const current = this.#listing.begin();
    try {
      const list = await this.session.backend.listHandoffs();
      if (!current()) return;
      this.pending = list.pending;
      this.unconfirmed = list.unconfirmed;
      this.lostKeys = list.lostKeys;
      this.damaged = list.damaged;
      this.error = null;
    } catch (e) {
      if (current()) this.error = e as IpcError;
    }
  }

  /** What needs a look and was not told of yet. */
  get news(): News {
    return {
      unconfirmed: this.unconfirmed.filter((u) => !this.#told[stagedKey(u)]),
      lostKeys: this.lostKeys.filter((l) => !this.#told[lostKey(l)]),
      damaged: this.damaged.filter((d) => !this.#told[damagedKey(d)]),
    };
  }

  /** Everything listed now was told: it is not announced again. */
  acknowledge(): void {
    const told = { ...this.#told };
    for (const u of this.unconfirmed) told[stagedKey(u)] = true;
    for (const l of this.lostKeys) told[lostKey(l)] = true;
    for (const d of this.damaged) told[damagedKey(d)] = true;
    this.#told = told;
  }

  /**
   * The secrets still in the keychain for `user` of `account`: its pending handoffs and its
   * staged passwords; with `keyId`, only that access key's pending handoff.
   */
  of(account: string, user: string, keyId?: string): Handoff[] {
    const mine = (h: Handoff) => h.account === account && h.user === user;
    if (keyId !== undefined) return this.pending.filter((h) => mine(h) && h.keyId === keyId);
    return [...this.pending.filter(mine), ...this.unconfirmed.map((u) => u.handoff).filter(mine)];
  }

  reveal(id: HandoffId): Promise<string> {
    return this.session.backend.revealSecret(handoffId(id));
  }

  /** Copies the secret from the Rust side; the clipboard is cleared after 30 seconds. */
  async copy(id: HandoffId): Promise<void> {
    await this.session.backend.copySecret(handoffId(id));
  }

  /** Saves the console-style CSV; the path, or null when the dialog was cancelled. */
  saveCsv(id: HandoffId): Promise<string | null> {
    return this.session.backend.saveHandoffCsv(handoffId(id));
  }

  /**
   * "Handed over", or discarded: the secrets leave the keychain. Lists the keychain again,
   * after a failure too.
   */
  async complete(ids: HandoffId[]): Promise<void> {
    try {
      for (const id of ids) await this.session.backend.completeHandoff(handoffId(id));
    } finally {
      await this.load();
    }
  }

  /**
   * The access keys of a lost key's user created at or after its `since`: one of them is the
   * key whose secret was lost. Read in the selected account, which must be the note's.
   */
  async lostKeyCandidates(lost: LostKey): Promise<AccessKeyInfo[]> {
    this.#inAccountOf(lost);
    const detail = await this.session.backend.getUser(this.session.profile, lost.user);
    return detail.accessKeys.filter((k) => atOrAfter(k.created, lost.since));
  }

  /**
   * Deletes `keyIds` of the lost key's user in the selected account (the note's), then
   * dismisses the note. Stops at the first failure: the note stays, and the keys deleted
   * before it are gone.
   */
  async resolveLostKey(lost: LostKey, keyIds: string[]): Promise<void> {
    const scope = this.#inAccountOf(lost);
    for (const keyId of keyIds) {
      if (!this.session.isCurrent(scope)) this.#inAccountOf(lost);
      await this.change((profile) => this.backend.deleteAccessKey(profile, lost.user, keyId), scope);
    }
    await this.dismissLostKey(lost);
  }

  /** Removes the note of a lost key. Lists the keychain again, after a failure too. */
  async dismissLostKey(lost: LostKey): Promise<void> {
    try {
      await this.session.backend.dismissLostKey(lost.entry);
    } finally {
      await this.load();
    }
  }

  /** The selection, when its account is the note's; else the error that says which to select. */
  #inAccountOf(lost: LostKey) {
    const scope = this.session.scope();
    if (this.session.identity?.account !== lost.account) {
      const error: IpcError = {
        code: 'NotConnected',
        message: `Select a profile of account ${lost.account} to deal with this key.`,
      };
      throw error;
    }
    return scope;
  }
}
