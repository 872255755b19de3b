// A policy document being written (a new policy or version, a trust policy, an inline
// policy): its text, what the validator last said of it, and whether it may be sent. The
// policy editor validates the text as it changes and reports to `validated` and
// `unchecked`; every form that sends a document judges it the same way, by `canSave`.
import type { Validation } from '../bindings';

/**
 * Where a new policy starts: one statement whose actions are left to fill in, so the
 * validator stops a policy that grants nothing (or everything by a slip) from being sent.
 */
export const SKELETON = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "",
      "Effect": "Allow",
      "Action": [],
      "Resource": "*"
    }
  ]
}`;

/** Where a new inline policy starts. */
export const INLINE_SKELETON =
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": [],\n      "Resource": "*"\n    }\n  ]\n}';

export class PolicyDraft {
  text = $state('');
  /**
   * The validator's last answer, kept while the next one is computed so that Save does not
   * flash enabled between keystrokes.
   */
  validation = $state.raw<Validation | null>(null);
  /** An answer for the current text is due (as it is until the editor has first answered). */
  checking = $state(true);

  /** The validator's errors (not its warnings): while there are any, nothing is sent. */
  readonly errors = $derived(this.validation?.findings.filter((f) => f.severity === 'error').length ?? 0);

  /** Why the text is not JSON (the validator says so too, as JSON_SYNTAX, when it answers). */
  readonly syntax = $derived.by(() => {
    try {
      JSON.parse(this.text);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  });

  /**
   * Nothing is due, and the validator found no error; when it could not answer, AWS judges
   * the document, which must at least parse before it goes.
   */
  readonly canSave = $derived(
    !this.checking && this.errors === 0 && (this.validation !== null || this.syntax === null),
  );

  constructor(text = '') {
    this.text = text;
  }

  /** Starts over from `text`: what the validator said of another text no longer counts. */
  reset(text: string) {
    if (text === this.text) return;
    this.text = text;
    this.validation = null;
  }

  /** The policy editor's `onvalidation`: its answer, or null while it is computed. */
  validated = (v: Validation | null) => {
    this.checking = v === null;
    if (v) this.validation = v;
  };

  /** The policy editor's `onvalidationerror`: the validator could not answer, so AWS judges. */
  unchecked = () => {
    this.checking = false;
    this.validation = null;
  };
}
