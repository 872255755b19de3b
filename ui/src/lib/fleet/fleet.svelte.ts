// Questions asked of every profile at once: search every account for a name part (or an
// access key id), find an access key's owner, compare two accounts.
//
// Unlike the other APIs these belong to no selected profile: their answers survive a switch
// (opening a search result switches profiles) and are kept until the next question. A
// slower answer to an earlier question never replaces a later one's.
import type {
  AccessKeyOwner,
  AccountComparison,
  FleetMatch,
  FleetProgress,
  SearchResults,
  SearchState,
} from '../bindings';
import { DomainApi } from '../change';
import { Question } from '../ui/question.svelte';

/** An access key id, as AWS issues them: long-lived (AKIA) or temporary (ASIA). */
export const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

/** Whether `query` is an access key id, whose owner can be asked for. */
export function isAccessKeyId(query: string): boolean {
  return ACCESS_KEY_ID.test(query.trim());
}

export type CompareQuestion = { a: string; b: string };

export class FleetApi extends DomainApi {
  /** Each searched profile's state, as the search reports it, in the order they were asked. */
  progress = $state<FleetProgress[]>([]);

  /** "Search everywhere": every profile of the files, for `query`. */
  readonly search = new Question<string, SearchResults>(
    async (query, _profile, current) => {
      const profiles = this.session.profiles?.profiles.map((p) => p.name) ?? [];
      this.progress = profiles.map((profile) => ({ profile, state: { kind: 'searching' } }));
      const channel = this.backend.channel<FleetProgress>((m) => {
        if (current()) this.#report(m.profile, m.state);
      });
      const results = await this.backend.searchEverywhere(profiles, query.trim(), channel);
      if (current()) this.#settle(results);
      return results;
    },
    undefined,
    true,
  );

  /** Who owns an access key, asked along with a search whose query is a key id. */
  readonly keyOwner = new Question<string, AccessKeyOwner>(
    (keyId) => this.backend.findAccessKeyOwner(keyId.trim()),
    undefined,
    true,
  );

  /** Two accounts' differences. */
  readonly comparison = new Question<CompareQuestion, AccountComparison>(
    ({ a, b }) => this.backend.compareAccounts(a, b),
    undefined,
    true,
  );

  /** Searches every profile for `query`; for an access key id, asks for its owner too. */
  async find(query: string): Promise<void> {
    if (!query.trim()) return;
    if (isAccessKeyId(query)) await Promise.all([this.search.run(query), this.keyOwner.run(query)]);
    else {
      this.keyOwner.reset();
      await this.search.run(query);
    }
  }

  compare(a: string, b: string): Promise<void> {
    return this.comparison.run({ a, b });
  }

  /** The matches of the last search. */
  get matches(): FleetMatch[] {
    return this.search.answer?.matches ?? [];
  }

  #report(profile: string, state: SearchState) {
    const i = this.progress.findIndex((p) => p.profile === profile);
    if (i < 0) this.progress.push({ profile, state });
    else this.progress[i] = { profile, state };
  }

  /** The final answer has the last word: a profile whose report was lost is not left "searching". */
  #settle(results: SearchResults) {
    for (const f of results.failures)
      this.#report(f.profile, f.code === 'MfaRequired' ? { kind: 'needsMfa' } : { kind: 'failed', message: f.message });
    for (const p of this.progress)
      if (p.state.kind === 'searching')
        this.#report(p.profile, {
          kind: 'done',
          matches: results.matches.filter((m) => m.profile === p.profile).length,
        });
  }
}
