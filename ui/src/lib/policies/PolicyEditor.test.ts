import { screen, waitFor } from '@testing-library/svelte';
import { render } from '../../test/render';
import { describe, expect, it } from 'vitest';
import PolicyEditor from './PolicyEditor.svelte';
import { Workspace } from '../workspace.svelte';
import type { Validation } from '../bindings';
import { fakeBackend } from '../../test/fakeBackend';

const DOC =
  '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]\n}';

describe('PolicyEditor', () => {
  it('marks the findings at their offsets and sums them up with the size', async () => {
    const wildcard = DOC.indexOf('"*"');
    const action = DOC.indexOf('s3:Get*');
    const fake = fakeBackend({
      validatePolicy: () => ({
        findings: [
          {
            code: 'PASS_ROLE_WITH_STAR',
            severity: 'securityWarning',
            message: 'Too broad.',
            from: wildcard,
            to: wildcard + 3,
            line: 3,
            column: 10,
          },
          {
            code: 'UNKNOWN_ACTION',
            severity: 'error',
            message: 'No such action.',
            from: action,
            to: action + 7,
            line: 3,
            column: 20,
          },
        ],
        size: 1234,
        limit: 6144,
      }),
    });
    const ws = new Workspace(fake.backend);
    const answers: (Validation | null)[] = [];
    render(PolicyEditor, {
      ws,
      value: DOC,
      kind: 'UserInline',
      label: 'Policy document',
      onvalidation: (v: Validation | null) => answers.push(v),
    });
    const summary = screen.getByTestId('policy-editor-summary');
    await waitFor(() => expect(summary.dataset.errors).toBe('1'));
    expect(summary.dataset.securityWarnings).toBe('1');
    expect(summary.textContent).toContain('1 error · 1 security warning');
    expect(summary.textContent).toContain('1,234 / 6,144 characters');
    expect(fake.calls.filter((c) => c.cmd === 'validatePolicy')[0].args).toEqual([DOC, 'UserInline']);
    expect(answers.at(-1)?.findings).toHaveLength(2);

    const root = screen.getByTestId('policy-editor');
    await waitFor(() => expect(root.querySelector('.cm-lintRange-error')?.textContent).toBe('s3:Get*'));
    expect(root.querySelector('.cm-gh-securityWarning')?.textContent).toBe('"*"');
    const codes = [...root.querySelectorAll('[data-testid="policy-editor-findings"] li')].map((li) =>
      li.getAttribute('data-code'),
    );
    expect(codes).toEqual(['PASS_ROLE_WITH_STAR', 'UNKNOWN_ACTION']);
    expect(root.querySelector('.cm-content')?.textContent).toContain('"Version"');
  });

  it('drops an answer for text that has since changed', async () => {
    let n = 0;
    const fake = fakeBackend({
      validatePolicy: async (document) => {
        // The first (stale) answer arrives last.
        const mine = ++n;
        await new Promise((r) => setTimeout(r, mine === 1 ? 300 : 0));
        return { findings: [], size: document.length, limit: 2048 };
      },
    });
    const ws = new Workspace(fake.backend);
    const r = render(PolicyEditor, { ws, value: '{}', kind: 'UserInline', label: 'doc' });
    await new Promise((res) => setTimeout(res, 200));
    await r.rerender({ value: '{"Version": "2012-10-17"}' });
    const summary = screen.getByTestId('policy-editor-summary');
    await waitFor(() => expect(summary.textContent).toContain('25 / 2,048'));
    await new Promise((res) => setTimeout(res, 400));
    expect(summary.textContent).toContain('25 / 2,048');
  });
});
