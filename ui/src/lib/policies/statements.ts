// Which statements differ between two policy documents, by name: the Sid, or the position
// ("#2") for a statement without one. Compared by meaning, not by spelling: key order and
// whitespace do not count.

export type StatementChange = { name: string; change: 'added' | 'removed' | 'changed' };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A canonical spelling: object keys sorted, so two spellings of one statement compare equal. */
function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The statements by name, in document order; null when the document is not a JSON policy. */
function statements(document: string): Map<string, string> | null {
  let parsed: Json;
  try {
    parsed = JSON.parse(document) as Json;
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const raw = parsed.Statement ?? [];
  // AWS accepts a single statement in place of the array.
  const list = Array.isArray(raw) ? raw : [raw];
  const named = new Map<string, string>();
  list.forEach((s, i) => {
    const sid = s && typeof s === 'object' && !Array.isArray(s) && typeof s.Sid === 'string' && s.Sid ? s.Sid : null;
    let name = sid ?? `#${i + 1}`;
    // Two statements with one Sid are invalid, but must still both be seen.
    if (named.has(name)) name = `${name} (#${i + 1})`;
    named.set(name, canonical(s));
  });
  return named;
}

/** The statements added, removed or changed from `left` to `right`; null when either is not JSON. */
export function changedStatements(left: string, right: string): StatementChange[] | null {
  const a = statements(left);
  const b = statements(right);
  if (!a || !b) return null;
  const out: StatementChange[] = [];
  for (const [name, s] of b) {
    const before = a.get(name);
    if (before === undefined) out.push({ name, change: 'added' });
    else if (before !== s) out.push({ name, change: 'changed' });
  }
  for (const name of a.keys()) if (!b.has(name)) out.push({ name, change: 'removed' });
  return out;
}
