// A user's credentials: access keys and the console password. A generated secret goes to
// the keychain, never to this page: what comes back is its pending handoff.
import { toIpcError } from '../backend';
import type { Handoff, HandoffId, IpcError } from '../bindings';
import { DomainApi } from '../change';
import type { HandoffsApi } from '../handoffs/handoffs.svelte';
import type { Session } from '../session.svelte';

export class CredentialsApi extends DomainApi {
  constructor(
    session: Session,
    private readonly handoffs: HandoffsApi,
  ) {
    super(session);
  }

  /** A new access key, its secret in the keychain: what comes back is its pending handoff. */
  createAccessKey(user: string): Promise<Handoff> {
    return this.changeWith((profile) => this.backend.createAccessKey(profile, user));
  }

  async setAccessKeyStatus(user: string, keyId: string, active: boolean): Promise<void> {
    await this.change((profile) => this.backend.setAccessKeyStatus(profile, user, keyId, active));
  }

  /**
   * Deletes an access key; then, only once it is deleted, discards `discard` (its pending
   * handoff, whose secret opens nothing any more). A failed deletion keeps them.
   */
  async deleteAccessKey(user: string, keyId: string, discard: HandoffId[] = []): Promise<void> {
    await this.change((profile) => this.backend.deleteAccessKey(profile, user, keyId));
    if (!discard.length) return;
    try {
      await this.handoffs.complete(discard);
    } catch (e) {
      const { code, message } = toIpcError(e);
      const error: IpcError = {
        code,
        message: `${keyId} was deleted, but its pending handoff could not be discarded: ${message}`,
      };
      throw error;
    }
  }

  /** Console access with `password`, or a generated one. */
  enableConsole(user: string, password: string | null, resetRequired: boolean): Promise<Handoff> {
    return this.#setPassword(user, password, resetRequired, true);
  }

  /** A new console password, typed or generated. */
  resetPassword(user: string, password: string | null, resetRequired: boolean): Promise<Handoff> {
    return this.#setPassword(user, password, resetRequired, false);
  }

  async removeConsole(user: string): Promise<void> {
    await this.change((profile) => this.backend.deleteLoginProfile(profile, user));
  }

  #setPassword(user: string, password: string | null, resetRequired: boolean, create: boolean): Promise<Handoff> {
    return this.changeWith((profile) =>
      this.backend.setConsolePassword(profile, user, password, resetRequired, create),
    );
  }
}
