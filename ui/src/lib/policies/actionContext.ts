// Where the cursor is in a policy document, as far as action completion and hover care:
// inside the string value of `Action` or `NotAction` (alone or in an array), and what has
// been typed there. A tolerant scan rather than JSON.parse, because the document is broken
// most of the time the administrator is typing in it.

export type ActionElement = 'Action' | 'NotAction';

export type ActionContext = {
  element: ActionElement;
  /** Offset of the string's first character (after the opening quote). */
  from: number;
  /** Offset of the closing quote, or of the line's end when the string is not closed yet. */
  to: number;
  /** What stands between `from` and the cursor. */
  prefix: string;
  /** The whole string, for hover. */
  value: string;
};

type Frame = { type: 'object'; key: string | null; expectKey: boolean } | { type: 'array'; key: string | null };

const ELEMENTS: readonly string[] = ['Action', 'NotAction'];

/** The end of the string whose opening quote is at `start`: its closing quote, or where it breaks off. */
function stringEnd(text: string, start: number): { end: number; closed: boolean } {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return { end: i, closed: true };
    else if (c === '\n') return { end: i, closed: false };
    else i++;
  }
  return { end: text.length, closed: false };
}

/**
 * The Action/NotAction string around `pos` (a cursor between characters: inside means
 * after the opening quote and up to the closing one), or null.
 */
export function actionContext(text: string, pos: number): ActionContext | null {
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length && i < pos) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const { end, closed } = stringEnd(text, i);
      const content = text.slice(i + 1, end);
      const isKey = top?.type === 'object' && top.expectKey;
      if (pos > i && pos <= end) {
        if (isKey || !top) return null;
        const element = top.key;
        if (element === null || !ELEMENTS.includes(element)) return null;
        return {
          element: element as ActionElement,
          from: i + 1,
          to: end,
          prefix: text.slice(i + 1, pos),
          value: content,
        };
      }
      if (isKey) top.key = content;
      i = closed ? end + 1 : end;
      continue;
    }
    if (c === '{' || c === '[') {
      // An array takes the name of the element it is the value of, so its strings are that
      // element's values; nested containers start afresh.
      const key = top?.type === 'object' && !top.expectKey ? top.key : null;
      stack.push(c === '{' ? { type: 'object', key: null, expectKey: true } : { type: 'array', key });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ':' && top?.type === 'object') {
      top.expectKey = false;
    } else if (c === ',' && top?.type === 'object') {
      top.expectKey = true;
      top.key = null;
    }
    i++;
  }
  return null;
}

/** Whether an action string is a wildcard that stands for several actions. */
export function isWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
