// The page's own timings, which the window benchmark reads: bounded, and first paints once.
import { describe, expect, it } from 'vitest';
import { firstPaint, record } from './perf';

const measures = (name: string) => performance.getEntriesByName(name, 'measure');

describe('perf', () => {
  it('keeps at most 200 measures of a name, the newest among them', () => {
    for (let i = 0; i < 250; i++) record('test:bounded', 0, i);
    const kept = measures('test:bounded');
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept.at(-1)?.duration).toBe(249);
  });

  it('records a first paint once per page load, after a frame', async () => {
    firstPaint('test:first');
    firstPaint('test:first');
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    await new Promise((r) => setTimeout(r, 0));
    expect(measures('test:first').length).toBe(1);
    expect(measures('test:first')[0].startTime).toBe(0);
  });
});
