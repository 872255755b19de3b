// The one "latest answer wins" loader under the pages, lists and questions.
import { describe, expect, it } from 'vitest';
import { Latest } from './latest.svelte';

/** A promise and the functions that settle it, for answers that come back out of order. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
}

describe('Latest', () => {
  it('lands only the answer to the request begun last, and stays busy until it comes', async () => {
    const latest = new Latest();
    const first = deferred<string>();
    const second = deferred<string>();
    const landed: string[] = [];
    const one = latest.load(
      () => first.promise,
      (v) => landed.push(v),
    );
    const two = latest.load(
      () => second.promise,
      (v) => landed.push(v),
    );
    second.resolve('second');
    expect(await two).toBe(true);
    first.reject({ code: 'Internal', message: 'too late' });
    expect(await one).toBe(false);
    expect([landed, latest.busy, latest.error]).toEqual([['second'], false, null]);
  });

  it('drops what comes after a reset or once `still` no longer holds, and keeps the latest error', async () => {
    const latest = new Latest();
    const answer = deferred<number>();
    const landed: number[] = [];
    const pending = latest.load(
      () => answer.promise,
      (v) => landed.push(v),
    );
    latest.reset();
    answer.resolve(1);
    expect([await pending, latest.busy]).toEqual([false, false]);

    let selected = true;
    const moved = deferred<number>();
    const stale = latest.load(
      () => moved.promise,
      (v) => landed.push(v),
      () => selected,
    );
    selected = false;
    moved.resolve(2);
    expect(await stale).toBe(false);

    await latest.load(
      () => Promise.reject({ code: 'AccessDenied', message: 'no' }),
      () => {},
    );
    expect([landed, latest.busy, latest.error?.code]).toEqual([[], false, 'AccessDenied']);
  });
});
