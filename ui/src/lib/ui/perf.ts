// What a user waits for, recorded with the browser's User Timing API: a measure runs from the
// event that asked (a keystroke's or click's `timeStamp`) to just after the next paint. The
// benchmark (`src-tauri/scripts/bench-window`) reads them over WebDriver with
// `performance.getEntriesByName(name)`; nothing else reads them, and they never leave the page.

/** Names of the measures, one place for the page and the benchmark. */
export const MEASURE = {
  /** From navigation start to the first paint of the profile list. */
  profilesPainted: 'gatehouse:profiles-painted',
  /** From navigation start to the first paint of the users table with rows. */
  usersPainted: 'gatehouse:users-painted',
  /** From asking the Rust side for the account's users to having them in the page. */
  inventoryRead: 'gatehouse:inventory-read',
  /** From the users' arrival in the page to the next paint (of the tab shown). */
  inventoryShown: 'gatehouse:inventory-shown',
  /** From a keystroke in the users' search box to the repainted table. */
  usersFilter: 'gatehouse:users-filter',
  /** From a click on a column header of the users table to the repainted table. */
  usersSort: 'gatehouse:users-sort',
} as const;

// A long session must not grow the browser's timeline without bound.
const KEEP = 200;

/** Records `name` from `start` to `end` (ms since navigation start). */
export function record(name: string, start: number, end: number = performance.now()): void {
  // jsdom (the unit tests) has no User Timing.
  if (typeof performance.measure !== 'function') return;
  if (performance.getEntriesByName(name, 'measure').length >= KEEP) performance.clearMeasures(name);
  performance.measure(name, { start, end });
}

/** Records `name` from `start` (ms since navigation start) to after the next paint. */
export function afterPaint(name: string, start: number = performance.now()): void {
  // jsdom has no rendering loop either.
  if (typeof requestAnimationFrame !== 'function') return;
  // A frame callback runs before the paint; a task queued from it runs after that paint.
  requestAnimationFrame(() => setTimeout(() => record(name, start), 0));
}

const recorded = new Set<string>();

/** Like `afterPaint` from navigation start, once per page load: first paints. */
export function firstPaint(name: string): void {
  if (recorded.has(name)) return;
  recorded.add(name);
  afterPaint(name, 0);
}
