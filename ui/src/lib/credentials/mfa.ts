// MFA devices. A virtual device is made first and assigned once the administrator has typed
// two codes from it; one that is never assigned is deleted, so none dangles in the account.
// One that dangles all the same (an enrolment abandoned when the app stopped, a removal that
// stopped half way) is listed on the user's page, to be deleted there: it blocks a new one.
import type { MfaEnrolment } from '../bindings';
import type { Scope } from '../session.svelte';
import { DomainApi, inTurn } from '../change';

/** A virtual MFA device made for a user and not assigned yet. */
export type PendingMfa = {
  readonly device: MfaEnrolment;
  /** Assigns it with two consecutive codes; reloads the user's row and page. */
  enable(code1: string, code2: string): Promise<void>;
  /** Deletes it from the account. */
  discard(): Promise<void>;
};

export class MfaApi extends DomainApi {
  /**
   * Makes a virtual MFA device for `user`. Enabling or discarding it happens in the account
   * it was made in, whatever is selected by then.
   */
  async create(user: string): Promise<PendingMfa> {
    const scope = this.session.scope();
    const device = await this.changeWith((profile) => this.backend.createVirtualMfa(profile, user), scope);
    return {
      device,
      enable: (code1, code2) => this.#enable(scope, user, device.serial, code1, code2),
      // The user's page lists the device as unassigned if deleting it failed.
      discard: () => this.#deleteDevice(scope, device.serial),
    };
  }

  /** Deactivates a device, and deletes it when it is a virtual one (its serial is an ARN). */
  async remove(user: string, serial: string): Promise<void> {
    await this.change((profile) =>
      inTurn([
        () => this.backend.deactivateMfa(profile, user, serial),
        ...(serial.includes(':mfa/') ? [() => this.backend.deleteVirtualMfa(profile, serial)] : []),
      ]),
    );
  }

  /**
   * The unassigned virtual devices named for `user`: left by an abandoned enrolment or a
   * half-done removal, they block assigning a new device to the user.
   */
  orphaned(user: string): Promise<string[]> {
    return this.backend.listOrphanedMfaDevices(this.profile, user);
  }

  /** Deletes an unassigned virtual device named for `user`; reloads the user's row and page. */
  deleteOrphaned(serial: string): Promise<void> {
    return this.#deleteDevice(this.session.scope(), serial);
  }

  async #deleteDevice(scope: Scope, serial: string): Promise<void> {
    await this.change((profile) => this.backend.deleteVirtualMfa(profile, serial), scope);
  }

  async #enable(scope: Scope, user: string, serial: string, code1: string, code2: string): Promise<void> {
    await this.change((profile) => this.backend.enableMfa(profile, user, serial, code1, code2), scope);
  }
}
