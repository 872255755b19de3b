// Pending handoffs: secrets in the keychain waiting to be given to their owner, across
// accounts. The secret itself reaches the webview only on an explicit reveal.
import type { Handoff, IpcError } from '../bindings';
import type { Workspace } from '../workspace.svelte';

export class HandoffsApi {
  pending = $state<Handoff[]>([]);
  /** The keychain could not be read: the pending list is unknown. */
  error = $state<IpcError | null>(null);

  constructor(private readonly ws: Workspace) {}

  /** Lists the pending handoffs again; a failure goes to `error`. */
  async load(): Promise<void> {
    try {
      this.pending = await this.ws.backend.listHandoffs();
      this.error = null;
    } catch (e) {
      this.error = e as IpcError;
    }
  }

  reveal(handoff: Handoff): Promise<string> {
    return this.ws.backend.revealSecret(handoff);
  }

  /** Copies the secret from the Rust side; the clipboard is cleared after 30 seconds. */
  async copy(handoff: Handoff): Promise<void> {
    await this.ws.backend.copySecret(handoff);
  }

  /** Saves the console-style CSV; the path, or null when the dialog was cancelled. */
  saveCsv(handoff: Handoff): Promise<string | null> {
    return this.ws.backend.saveHandoffCsv(handoff);
  }

  /** "Handed over": the secrets leave the keychain. Lists the pending ones again, after a failure too. */
  async complete(handoffs: Handoff[]): Promise<void> {
    try {
      for (const h of handoffs) await this.ws.backend.completeHandoff(h);
    } finally {
      await this.load();
    }
  }
}
