// The tables' shared sort order and virtual window.
import { describe, expect, it } from 'vitest';
import { collator, SortOrder, VirtualRows } from './table.svelte';

describe('SortOrder', () => {
  it('reverses the same column and starts another in the direction asked', () => {
    const order = new SortOrder<'name' | 'size'>('name');
    expect([order.ariaSort('name'), order.arrow('name'), order.ariaSort('size')]).toEqual(['ascending', '▲', 'none']);
    order.toggle('name');
    expect([order.ariaSort('name'), order.arrow('name')]).toEqual(['descending', '▼']);
    order.toggle('size', false);
    expect([order.by, order.ascending, order.arrow('name')]).toEqual(['size', false, '']);
  });

  it('sorts numbers as numbers and text as text, ties by the tiebreak, reversed together', () => {
    const order = new SortOrder<'name' | 'size'>('size');
    const rows = [
      { name: 'b', size: 10 },
      { name: 'a', size: 9 },
      { name: 'c', size: 10 },
    ];
    const sort = () =>
      order
        .sort(
          rows,
          (r, column) => r[column],
          (x, y) => collator.compare(x.name, y.name),
        )
        .map((r) => r.name);
    expect(sort()).toEqual(['a', 'b', 'c']);
    order.toggle('size');
    expect(sort()).toEqual(['c', 'b', 'a']);
    order.toggle('name');
    expect(sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('VirtualRows', () => {
  it('keeps the rows in view plus ten either side, with spacers for the rest', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => i);
    const view = new VirtualRows(() => rows);
    view.viewport = 720; // 20 rows of 36 px
    expect([view.shown[0], view.shown.length, view.above, view.below]).toEqual([0, 40, 0, (5000 - 40) * 36]);
    view.scrollTop = 100 * 36;
    expect([view.shown[0], view.shown.length, view.above]).toEqual([90, 40, 90 * 36]);
    view.scrollTop = 5000 * 36;
    expect([view.shown.at(-1), view.below]).toEqual([4999, 0]);
  });
});
