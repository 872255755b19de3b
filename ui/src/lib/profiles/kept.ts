// What the window last showed of each profile, kept in memory (never on disk) for the last
// `CACHED_PROFILES` profiles used: selecting one again shows it at once, while it is read again.
import type { Audit, CallerIdentity, Inventory, PolicySummary, RoleRow } from '../bindings';

/** What the window last showed of a profile: shown at once when it is selected again. */
export type KeptView = {
  readonly identity: CallerIdentity;
  readonly inventory: Inventory;
  /** When the inventory was read (milliseconds since the epoch). */
  readonly readAt: number;
  readonly roles: RoleRow[] | null;
  readonly policies: PolicySummary[] | null;
  readonly alias: string | null | undefined;
  readonly audit: Audit | null;
  readonly auditStale: boolean;
};

/** How many profiles' views are kept; the least recently used one gives way. */
export const CACHED_PROFILES = 8;

export class KeptViews {
  /** Least recently used first (not shown: not state). */
  #views = new Map<string, KeptView>();

  get(profile: string): KeptView | undefined {
    return this.#views.get(profile);
  }

  /** Keeps `view` of its profile as the most recently used; the least recently used gives way. */
  keep(view: KeptView) {
    const profile = view.identity.profile;
    this.#views.delete(profile);
    this.#views.set(profile, view);
    for (const oldest of this.#views.keys()) {
      if (this.#views.size <= CACHED_PROFILES) break;
      this.#views.delete(oldest);
    }
  }

  forget(profile: string) {
    this.#views.delete(profile);
  }
}
