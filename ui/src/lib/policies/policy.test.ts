import { describe, expect, it } from 'vitest';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { actionContext } from './actionContext';
import {
  actionCompletions,
  actionHoverSource,
  countFindings,
  countsText,
  describeText,
  sizeText,
  toDiagnostics,
} from './editorLogic';
import { lineDiff } from './lineDiff';
import { changedStatements } from './statements';
import type { Finding } from '../bindings';

/** The text with `|` marking the cursor, and the cursor's offset. */
function at(marked: string): [string, number] {
  const pos = marked.indexOf('|');
  return [marked.slice(0, pos) + marked.slice(pos + 1), pos];
}

describe('actionContext', () => {
  it('finds a single Action string and the prefix typed so far', () => {
    const [text, pos] = at('{"Statement": {"Effect": "Allow", "Action": "s3:GetOb|ject", "Resource": "*"}}');
    expect(actionContext(text, pos)).toEqual({
      element: 'Action',
      from: text.indexOf('s3:'),
      to: text.indexOf('s3:') + 's3:GetObject'.length,
      prefix: 's3:GetOb',
      value: 's3:GetObject',
    });
  });

  it('finds an element of a NotAction array, in a broken document', () => {
    const [text, pos] = at('{\n  "Statement": [{\n    "NotAction": ["iam:*", "ec2:Desc|\n');
    const ctx = actionContext(text, pos);
    expect(ctx?.element).toBe('NotAction');
    expect(ctx?.prefix).toBe('ec2:Desc');
  });

  it('ignores keys, other elements, and the Action key itself', () => {
    for (const marked of [
      '{"Resource": "arn:aws:s3:::b|"}',
      '{"Act|ion": "s3:Get"}',
      '{"Condition": {"StringEquals": {"Action": "x"}}, "Sid": "a|"}',
      '{"Action": ["s3:Get"], "Resource": ["s3|"]}',
      '{"Action": "s3:Get"|}',
    ]) {
      const [text, pos] = at(marked);
      expect(actionContext(text, pos), marked).toBeNull();
    }
  });

  it('reads the element after the previous one closed', () => {
    const [text, pos] = at('{"Resource": ["a", "b"], "Action": [\n "sqs:|"]}');
    expect(actionContext(text, pos)?.prefix).toBe('sqs:');
  });
});

describe('action completion', () => {
  it('asks the catalogue with the typed prefix and shows the access level', async () => {
    const asked: string[] = [];
    const source = actionCompletions(async (prefix) => {
      asked.push(prefix);
      return [{ name: 's3:GetObject', accessLevel: 'Read', description: 'Retrieves objects' }];
    });
    const [doc, pos] = at('{"Statement": [{"Action": ["s3:GetOb|"]}]}');
    const result = await source(new CompletionContext(EditorState.create({ doc }), pos, false));
    expect(asked).toEqual(['s3:GetOb']);
    expect(result?.from).toBe(doc.indexOf('s3:'));
    expect(result?.options[0]).toMatchObject({ label: 's3:GetObject', detail: 'Read' });
  });

  it('does not ask outside an action string, nor for an empty prefix unless asked', async () => {
    const asked: string[] = [];
    const source = actionCompletions(async (prefix) => {
      asked.push(prefix);
      return [];
    });
    const [doc1, pos1] = at('{"Resource": "s3|"}');
    expect(await source(new CompletionContext(EditorState.create({ doc: doc1 }), pos1, true))).toBeNull();
    const [doc2, pos2] = at('{"Action": "|"}');
    expect(await source(new CompletionContext(EditorState.create({ doc: doc2 }), pos2, false))).toBeNull();
    expect(asked).toEqual([]);
  });
});

describe('findings', () => {
  const finding = (severity: Finding['severity'], from: number, to: number): Finding => ({
    code: 'CODE_' + severity.toUpperCase(),
    severity,
    message: 'msg',
    from,
    to,
    line: 1,
    column: from + 1,
  });

  it('maps the four classes onto CodeMirror severities, with the code in the message', () => {
    const d = toDiagnostics(
      [
        finding('error', 1, 3),
        finding('securityWarning', 2, 4),
        finding('warning', 0, 1),
        finding('suggestion', 5, 50),
      ],
      10,
    );
    expect(d.map((x) => x.severity)).toEqual(['error', 'warning', 'warning', 'info']);
    expect(d[1].markClass).toBe('cm-gh-securityWarning');
    expect(d[0].message).toBe('CODE_ERROR: msg');
    expect([d[3].from, d[3].to]).toEqual([5, 10]);
  });

  it('counts and sizes', () => {
    const counts = countFindings([finding('error', 0, 1), finding('error', 0, 1), finding('securityWarning', 0, 1)]);
    expect(countsText(counts)).toBe('2 errors · 1 security warning');
    expect(countsText(countFindings([]))).toBe('No findings');
    expect(sizeText({ size: 1234, limit: 6144 })).toBe('1,234 / 6,144 characters');
  });

  it('describes a wildcard by how many actions it stands for', () => {
    const d = describeText({
      pattern: 's3:Get*',
      service: 'Amazon S3',
      matches: 42,
      accessLevels: ['Read'],
      description: null,
    });
    expect(d.lines).toEqual(['Amazon S3', 'Expands to 42 actions', 'Access level: Read']);
  });
});

describe('lineDiff', () => {
  it('pairs edited lines and keeps additions and removals apart', () => {
    const rows = lineDiff('a\nb\nc\nd', 'a\nB\nc\ne\nf');
    expect(rows.map((r) => r.kind)).toEqual(['same', 'changed', 'same', 'changed', 'added']);
    expect(rows[1]).toMatchObject({ left: { no: 2, text: 'b' }, right: { no: 2, text: 'B' } });
    expect(rows[4]).toMatchObject({ left: null, right: { no: 5, text: 'f' } });
  });

  it('handles empty sides', () => {
    expect(lineDiff('', 'x').map((r) => r.kind)).toEqual(['added']);
    expect(lineDiff('x\ny', '').map((r) => r.kind)).toEqual(['removed', 'removed']);
    expect(lineDiff('same', 'same').map((r) => r.kind)).toEqual(['same']);
  });
});

describe('changedStatements', () => {
  const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

  it('names statements by Sid, else by position, and ignores key order', () => {
    const left = doc({ Sid: 'Read', Effect: 'Allow', Action: 's3:Get*' }, { Effect: 'Deny', Action: '*' });
    const right = doc(
      { Action: 's3:Get*', Effect: 'Allow', Sid: 'Read' },
      { Effect: 'Deny', Action: 'iam:*' },
      { Sid: 'Write', Effect: 'Allow', Action: 's3:Put*' },
    );
    expect(changedStatements(left, right)).toEqual([
      { name: '#2', change: 'changed' },
      { name: 'Write', change: 'added' },
    ]);
    expect(changedStatements(right, left)).toContainEqual({ name: 'Write', change: 'removed' });
  });

  it('accepts a single statement object and gives up on broken JSON', () => {
    const one = JSON.stringify({ Statement: { Sid: 'A', Effect: 'Allow' } });
    expect(changedStatements(one, doc({ Sid: 'A', Effect: 'Deny' }))).toEqual([{ name: 'A', change: 'changed' }]);
    expect(changedStatements('{', one)).toBeNull();
  });
});

describe('action hover', () => {
  it('describes the action under the pointer, and nothing elsewhere', async () => {
    const asked: string[] = [];
    const hover = actionHoverSource(async (pattern) => {
      asked.push(pattern);
      return { pattern, service: 'Amazon S3', matches: 3, accessLevels: ['Read'], description: null };
    });
    const doc = '{"Action": ["s3:Get*"], "Resource": "*"}';
    const view = { state: EditorState.create({ doc }) };
    const tip = await hover(view, doc.indexOf('Get'));
    expect(asked).toEqual(['s3:Get*']);
    expect([tip?.pos, tip?.end]).toEqual([doc.indexOf('s3:'), doc.indexOf('s3:') + 7]);
    const dom = tip!.create(view as never).dom;
    expect(dom.textContent).toContain('Expands to 3 actions');
    expect(await hover(view, doc.indexOf('"*"') + 1)).toBeNull();
    expect(asked).toHaveLength(1);
  });
});
