// A user's credentials: access keys and the console password. A generated secret goes to
// the keychain, never to this page: what comes back is its pending handoff.
import { toIpcError } from '../backend';
import type { Handoff, HandoffId, IpcError } from '../bindings';
import { DomainApi } from '../change';

export class CredentialsApi extends DomainApi {
  /**
   * A new access key, its secret in the keychain. Reloads the user's row and the pending
   * handoffs, after a failure too: the keychain may hold what AWS made.
   */
  createAccessKey(user: string): Promise<Handoff> {
    return this.change((profile) => this.backend.createAccessKey(profile, user), this.#secretFor(user), {
      partial: true,
    });
  }

  async setAccessKeyStatus(user: string, keyId: string, active: boolean): Promise<void> {
    await this.change((profile) => this.backend.setAccessKeyStatus(profile, user, keyId, active), { users: [user] });
  }

  /**
   * Deletes an access key; then, only once it is deleted, discards `discard` (its pending
   * handoff, whose secret opens nothing any more). A failed deletion keeps them.
   */
  async deleteAccessKey(user: string, keyId: string, discard: HandoffId[] = []): Promise<void> {
    await this.change((profile) => this.backend.deleteAccessKey(profile, user, keyId), { users: [user] });
    if (!discard.length) return;
    try {
      await this.ws.handoffs.complete(discard);
    } catch (e) {
      const { code, message } = toIpcError(e);
      const error: IpcError = {
        code,
        message: `${keyId} was deleted, but its pending handoff could not be discarded: ${message}`,
      };
      throw error;
    }
  }

  /** Console access with `password`, or a generated one; reloads as `createAccessKey` does. */
  enableConsole(user: string, password: string | null, resetRequired: boolean): Promise<Handoff> {
    return this.#setPassword(user, password, resetRequired, true);
  }

  /** A new console password, typed or generated; reloads as `createAccessKey` does. */
  resetPassword(user: string, password: string | null, resetRequired: boolean): Promise<Handoff> {
    return this.#setPassword(user, password, resetRequired, false);
  }

  async removeConsole(user: string): Promise<void> {
    await this.change((profile) => this.backend.deleteLoginProfile(profile, user), { users: [user] });
  }

  #setPassword(user: string, password: string | null, resetRequired: boolean, create: boolean): Promise<Handoff> {
    return this.change(
      (profile) => this.backend.setConsolePassword(profile, user, password, resetRequired, create),
      this.#secretFor(user),
      { partial: true },
    );
  }

  #secretFor(user: string) {
    return { users: [user], handoffs: true };
  }
}
