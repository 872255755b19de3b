// The policy editor's logic that does not need a screen: the validator's findings as
// CodeMirror diagnostics, the summary counts, action completion and the hover's text.
// Kept apart from PolicyEditor.svelte so that unit tests reach it without driving an editor.
import type { Diagnostic } from '@codemirror/lint';
import type { CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import type { EditorView, Tooltip } from '@codemirror/view';
import type { ActionInfo, ActionPattern, Finding, Severity, Validation } from '../bindings';
import { actionContext, isWildcard } from './actionContext';

const SEVERITY: Record<Severity, Diagnostic['severity']> = {
  error: 'error',
  // CodeMirror has no fourth class: a security warning is a warning with its own mark.
  securityWarning: 'warning',
  warning: 'warning',
  suggestion: 'info',
};

/** The findings at their exact offsets, clamped to the document (it may have changed length since). */
export function toDiagnostics(findings: Finding[], docLength: number): Diagnostic[] {
  return findings.map((f) => {
    const from = Math.max(0, Math.min(f.from, docLength));
    const to = Math.max(from, Math.min(f.to, docLength));
    return {
      from,
      to,
      severity: SEVERITY[f.severity],
      message: `${f.code}: ${f.message}`,
      markClass: `cm-gh-${f.severity}`,
    };
  });
}

export type Counts = Record<Severity, number>;

export function countFindings(findings: Finding[]): Counts {
  const counts: Counts = { error: 0, securityWarning: 0, warning: 0, suggestion: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

const NOUNS: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  securityWarning: ['security warning', 'security warnings'],
  warning: ['warning', 'warnings'],
  suggestion: ['suggestion', 'suggestions'],
};

/** "2 errors · 1 security warning", or "No findings". */
export function countsText(counts: Counts): string {
  const parts = (Object.keys(NOUNS) as Severity[])
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${NOUNS[s][counts[s] === 1 ? 0 : 1]}`);
  return parts.length ? parts.join(' · ') : 'No findings';
}

const number = new Intl.NumberFormat('en-US');

/** "1,234 / 6,144 characters", as AWS counts them. */
export function sizeText(v: Pick<Validation, 'size' | 'limit'>): string {
  return `${number.format(v.size)} / ${number.format(v.limit)} characters`;
}

/**
 * Completes actions inside an Action/NotAction string from the catalogue. Asks only once
 * something is typed, unless completion was asked for (Ctrl-Space): an empty prefix is
 * every action there is.
 */
export function actionCompletions(complete: (prefix: string) => Promise<ActionInfo[]>): CompletionSource {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const at = actionContext(context.state.doc.toString(), context.pos);
    if (!at || (!at.prefix && !context.explicit)) return null;
    const infos = await complete(at.prefix);
    if (context.aborted) return null;
    return {
      from: at.from,
      options: infos.map((i) => ({
        label: i.name,
        detail: i.accessLevel,
        info: i.description || undefined,
        type: 'keyword',
      })),
    };
  };
}

/** The hover's lines for an action or a wildcard. */
export function describeText(p: ActionPattern): { title: string; lines: string[] } {
  const lines: string[] = [];
  if (p.matches === 0) {
    lines.push(p.service ? `No ${p.service} action matches this.` : 'No known service or action matches this.');
    return { title: p.pattern, lines };
  }
  if (p.service) lines.push(p.service);
  if (isWildcard(p.pattern) || p.matches > 1)
    lines.push(`Expands to ${number.format(p.matches)} action${p.matches === 1 ? '' : 's'}`);
  if (p.accessLevels.length)
    lines.push(`Access level${p.accessLevels.length === 1 ? '' : 's'}: ${p.accessLevels.join(', ')}`);
  if (p.description) lines.push(p.description);
  return { title: p.pattern, lines };
}

/**
 * The hover over an Action/NotAction string: the catalogue's answer for it, or nothing
 * (outside an action, or when the catalogue cannot say).
 */
export function actionHoverSource(describe: (pattern: string) => Promise<ActionPattern>) {
  return async (view: Pick<EditorView, 'state'>, pos: number): Promise<Tooltip | null> => {
    const at = actionContext(view.state.doc.toString(), pos);
    if (!at || !at.value) return null;
    const described = await describe(at.value).catch(() => null);
    if (!described) return null;
    const { title, lines } = describeText(described);
    return {
      pos: at.from,
      end: at.to,
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'cm-gh-hover cm-gh-action-hover';
        const strong = document.createElement('strong');
        strong.textContent = title;
        dom.append(strong);
        for (const line of lines) {
          const div = document.createElement('div');
          div.textContent = line;
          dom.append(div);
        }
        return { dom };
      },
    };
  };
}
