// Rotating an access key: a new key, its handoff, its first use, the old key deactivated,
// then deleted. Each step is saved by the Rust side (across accounts), so a rotation
// survives a restart.
import type { Handoff, IpcError, KeyUse, Rotation, RotationPlan, RotationStep } from '../bindings';
import { DomainApi } from './change';

export class RotationsApi extends DomainApi {
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
    const account = this.ws.identity?.account;
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
    const account = this.ws.identity?.account ?? '';
    const handoff = await this.ws.credentials.createAccessKey(user);
    await this.#save({ account, user, oldKey, newKey: handoff.keyId, step: 'WaitForUse', started: now() });
    return handoff;
  }

  /** Moves on to `step` without touching a key. */
  advance(rotation: Rotation, step: RotationStep): Promise<void> {
    return this.#save({ ...rotation, step });
  }

  async deactivateOld(rotation: Rotation): Promise<void> {
    await this.ws.credentials.setAccessKeyStatus(rotation.user, rotation.oldKey, false);
    await this.#save({ ...rotation, step: 'DeleteOld' });
  }

  /** Deletes the old key: the rotation is over. */
  async deleteOld(rotation: Rotation): Promise<void> {
    await this.ws.credentials.deleteAccessKey(rotation.user, rotation.oldKey);
    await this.forget(rotation);
  }

  /** Forgets the rotation; the keys stay as they are. */
  async forget(rotation: Rotation): Promise<void> {
    try {
      await this.backend.finishRotation(rotation.account, rotation.user);
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
