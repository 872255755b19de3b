// A line diff for two policy documents shown side by side. Policies are small (a managed
// policy is at most 6,144 characters), so the plain LCS table is affordable and exact.

export type Side = { no: number; text: string };
export type Row =
  | { kind: 'same'; left: Side; right: Side }
  | { kind: 'removed'; left: Side; right: null }
  | { kind: 'added'; left: null; right: Side }
  | { kind: 'changed'; left: Side; right: Side };

type Op = { op: 'same' | 'removed' | 'added'; line: string; a: number; b: number };

function ops(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) out.push({ op: 'same', line: a[i], a: i++, b: j++ });
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push({ op: 'added', line: b[j], a: i, b: j++ });
    else out.push({ op: 'removed', line: a[i], a: i++, b: j });
  }
  return out;
}

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\r\n/g, '\n').split('\n');
}

/**
 * Rows to show side by side. Within a run of differences, removed and added lines are
 * paired as changed lines, so an edited line sits next to what it was.
 */
export function lineDiff(left: string, right: string): Row[] {
  const rows: Row[] = [];
  const list = ops(lines(left), lines(right));
  let k = 0;
  while (k < list.length) {
    const o = list[k];
    if (o.op === 'same') {
      rows.push({ kind: 'same', left: { no: o.a + 1, text: o.line }, right: { no: o.b + 1, text: o.line } });
      k++;
      continue;
    }
    const removed: Op[] = [];
    const added: Op[] = [];
    while (k < list.length && list[k].op !== 'same') {
      (list[k].op === 'removed' ? removed : added).push(list[k]);
      k++;
    }
    const paired = Math.min(removed.length, added.length);
    for (let p = 0; p < paired; p++)
      rows.push({
        kind: 'changed',
        left: { no: removed[p].a + 1, text: removed[p].line },
        right: { no: added[p].b + 1, text: added[p].line },
      });
    for (const r of removed.slice(paired))
      rows.push({ kind: 'removed', left: { no: r.a + 1, text: r.line }, right: null });
    for (const a of added.slice(paired)) rows.push({ kind: 'added', left: null, right: { no: a.b + 1, text: a.line } });
  }
  return rows;
}
