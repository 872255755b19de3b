// What the account's big tables (users, roles, policies, the credential report) share: the
// column they are sorted by, and, for the virtualised ones, which rows are in view.

// Height of a table row in px, as `.data-table td` sets it in app.css.
const ROW = 36;
// Rows kept above and below the view, so that a quick scroll never shows a gap.
const OVERSCAN = 10;

/**
 * Compares text as `localeCompare` does, with one collator set up once: `localeCompare` sets
 * one up per call, which made sorting 5,000 rows take longer than a frame.
 */
export const collator = new Intl.Collator();

/** The column a table is sorted by and its direction. */
export class SortOrder<C extends string> {
  by = $state<C>() as C;
  ascending = $state(true);

  constructor(by: C) {
    this.by = by;
  }

  /**
   * A click on `column`'s header: the same column reverses; another one is sorted by, in
   * the direction `ascendingFirst` says (numbers and dates may read best largest first).
   */
  toggle(column: C, ascendingFirst = true) {
    if (this.by === column) this.ascending = !this.ascending;
    else {
      this.by = column;
      this.ascending = ascendingFirst;
    }
  }

  /**
   * `rows` in this order, by each row's `value` in the column (numbers as numbers, the rest
   * as text); rows of the same value in the order `tie` gives, reversed with the rest.
   */
  sort<T>(rows: readonly T[], value: (row: T, column: C) => string | number, tie: (a: T, b: T) => number): T[] {
    const dir = this.ascending ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = value(a, this.by);
      const y = value(b, this.by);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return (c || tie(a, b)) * dir;
    });
  }

  /** `aria-sort` of `column`'s header. */
  ariaSort(column: C): 'ascending' | 'descending' | 'none' {
    return this.by === column ? (this.ascending ? 'ascending' : 'descending') : 'none';
  }

  /** The arrow after `column`'s label. */
  arrow(column: C): string {
    return this.by === column ? (this.ascending ? '▲' : '▼') : '';
  }
}

/**
 * The rows of `rows()` in view of a scrolling table, plus the overscan: only those are in the
 * DOM, so 5,000 rows scroll as smoothly as 50. The table binds `viewport` to its height and
 * sets `scrollTop` as it scrolls; spacer rows of `above` and `below` px keep the scroll bar true.
 */
export class VirtualRows<T> {
  scrollTop = $state(0);
  viewport = $state(0);
  #rows: () => T[];

  constructor(rows: () => T[]) {
    this.#rows = rows;
  }

  // jsdom has no layout: show a first page of rows there too.
  get #count() {
    return Math.ceil((this.viewport || 30 * ROW) / ROW) + OVERSCAN * 2;
  }
  get #start() {
    return Math.max(0, Math.floor(this.scrollTop / ROW) - OVERSCAN);
  }
  get #end() {
    return Math.min(this.#rows().length, this.#start + this.#count);
  }

  /** The rows to put in the DOM. */
  get shown(): T[] {
    return this.#rows().slice(this.#start, this.#end);
  }
  /** Height of the spacer before them (0: none). */
  get above(): number {
    return this.#start * ROW;
  }
  /** Height of the spacer after them (0: none). */
  get below(): number {
    return (this.#rows().length - this.#end) * ROW;
  }
}
