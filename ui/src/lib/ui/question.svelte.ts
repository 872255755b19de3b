// One question at a time, for the forms that ask the Rust side something and show the
// answer (the simulator, "who can", search everywhere, compare): the latest question's
// answer or its error. A slower answer to an earlier question never replaces a later one's.
import type { Session } from '../session.svelte';
import { Latest } from './latest.svelte';

/** Whom a question is asked for, fixed when it is asked, and whether its answer may still land. */
export type Asking = { profile: string; current: () => boolean };

/** For questions about the selected profile: an answer after a switch is dropped. */
export function forSelection(session: Session): () => Asking {
  return () => {
    const scope = session.scope();
    return { profile: scope.profile, current: () => session.isCurrent(scope) };
  };
}

/** For questions about no one profile (across profiles): answers survive a switch. */
const anyone = (): Asking => ({ profile: '', current: () => true });

export class Question<Q, A> extends Latest {
  /** What `answer` answers: a form shows it again after a tab switch. */
  asked = $state<Q | null>(null);
  answer = $state<A | null>(null);

  /**
   * `ask` gets the question, the profile it is asked for and whether it is still the
   * latest. With `clear`, asking shows the new question at once and drops the last answer
   * (a search); without, the last answer stays until the new one replaces it.
   */
  constructor(
    private readonly ask: (question: Q, profile: string, current: () => boolean) => Promise<A>,
    private readonly asking: () => Asking = anyone,
    private readonly clear = false,
  ) {
    super();
  }

  async run(question: Q): Promise<void> {
    const { profile, current: selected } = this.asking();
    if (this.clear) [this.asked, this.answer] = [question, null];
    await this.load(
      (current) => this.ask(question, profile, current),
      (answer) => ([this.asked, this.answer] = [question, answer]),
      selected,
    );
  }

  reset() {
    super.reset();
    this.asked = null;
    this.answer = null;
  }
}
