// Rotating an access key: a new key, its handoff, its first use, the old key deactivated,
// then deleted. Each step is saved by the Rust side (across accounts), so a rotation
// survives a restart. Deactivating and deleting the old key are the Rust side's own steps:
// it records when the key was deactivated, and refuses to delete a key that is active again
// or was used since.
import type { Changed, Handoff, IpcError, KeyUse, Rotation, RotationPlan, RotationStep } from '../bindings';
import { DomainApi } from '../change';
import type { Session } from '../session.svelte';
import type { CredentialsApi } from './credentials';

export class RotationsApi extends DomainApi {
  constructor(
    session: Session,
    private readonly credentials: CredentialsApi,
  ) {
    super(session);
  }

  list = $state<Rotation[]>([]);
  /** The saved rotations could not be read: `list` may miss some. */
  error = $state<IpcError | null>(null);
  /**
   * The saved file was found damaged and set aside: said once by the Rust side, so kept
   * here for the rest of the session.
   */
  notice = $state<string | null>(null);

  /** Lists the rotations in progress again; a failure goes to `error`. */
  async load(): Promise<void> {
    try {
      const { rotations, notice } = await this.backend.listRotations();
      this.list = rotations;
      if (notice) this.notice = notice;
      this.error = null;
    } catch (e) {
      this.error = e as IpcError;
    }
  }

  /** The rotation in progress for `user` of the selected account, if any. */
  of(user: string): Rotation | null {
    const account = this.session.identity?.account;
    return this.list.find((r) => r.account === account && r.user === user) ?? null;
  }

  /** The user's keys and, when it has two, which to delete first. */
  plan(user: string): Promise<RotationPlan> {
    return this.backend.planRotation(this.profile, user);
  }

  keyLastUsed(keyId: string): Promise<KeyUse> {
    return this.backend.getKeyLastUsed(this.profile, keyId);
  }

  /** Creates the new key (its secret to the keychain) and saves the rotation; the key's handoff. */
  async start(user: string, oldKey: string): Promise<Handoff> {
    const account = this.session.identity?.account ?? '';
    const handoff = await this.credentials.createAccessKey(user);
    await this.#save({ account, user, oldKey, newKey: handoff.keyId, step: 'WaitForUse', started: now() });
    return handoff;
  }

  /** Moves on to `step` without touching a key. */
  advance(rotation: Rotation, step: RotationStep): Promise<void> {
    return this.#save({ ...rotation, step });
  }

  /**
   * Deactivates the old key; the Rust side records when, and the rotation moves to its last
   * step. Also what "Deactivate again" does after the deletion was refused.
   */
  async deactivateOld(rotation: Rotation): Promise<void> {
    await this.#inRotation(async (profile) => {
      const done = await this.backend.deactivateOldKey(profile, rotation.account, rotation.user);
      return done.changed;
    });
  }

  /**
   * Deletes the old key: the rotation is over. The Rust side reads AWS first and refuses
   * (`DeleteConflict`, with the reason) while the key is active, was used after it was
   * deactivated, or no deactivation time is recorded.
   */
  async deleteOld(rotation: Rotation): Promise<void> {
    await this.#inRotation((profile) => this.backend.deleteOldKey(profile, rotation.account, rotation.user));
  }

  /** Forgets the rotation; the keys stay as they are. */
  async forget(rotation: Rotation): Promise<void> {
    try {
      await this.backend.finishRotation(rotation.account, rotation.user);
    } finally {
      await this.load();
    }
  }

  /**
   * Runs a step the Rust side makes on the rotation's old key; reloads what it changed and the
   * rotations (after a failure too: the key may have changed when recording it failed).
   */
  async #inRotation(step: (profile: string) => Promise<Changed>): Promise<void> {
    try {
      await this.change(step);
    } finally {
      await this.load();
    }
  }

  async #save(rotation: Rotation): Promise<void> {
    try {
      await this.backend.saveRotation(rotation);
    } finally {
      await this.load();
    }
  }
}

function now(): string {
  return new Date().toISOString();
}
