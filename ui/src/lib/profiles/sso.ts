// Signing an SSO profile in from the app: the device authorization flow, run by the Rust
// side, which writes the token where the AWS CLI keeps it (the one file Gatehouse writes
// under ~/.aws, and only on this explicit action). Afterwards the profile connects as any.
import type { SsoProgress, SsoSignIn } from '../bindings';
import type { Session } from '../session.svelte';

export class SsoApi {
  constructor(private readonly session: Session) {}

  /** Registers with the profile's identity center and asks for a code to approve. */
  start(profile: string): Promise<SsoSignIn> {
    return this.session.backend.startSsoSignIn(profile);
  }

  /** Opens the page the sign-in is approved on in the system browser. */
  async openPage(handle: string): Promise<void> {
    await this.session.backend.openSsoPage(handle);
  }

  /** Abandons a sign-in whose dialog was closed; its wait ends with an error. */
  async cancel(handle: string): Promise<void> {
    await this.session.backend.cancelSsoSignIn(handle);
  }

  /**
   * Waits for the approval (`onProgress` hears each poll), then reads the profiles again
   * (the profile is ready now) and connects with it when it is still the one selected.
   */
  async finish(profile: string, handle: string, onProgress: (p: SsoProgress) => void): Promise<void> {
    await this.session.backend.finishSsoSignIn(handle, this.session.backend.channel(onProgress));
    await this.session.loadProfiles();
    if (this.session.selected === profile) await this.session.select(profile);
  }
}
