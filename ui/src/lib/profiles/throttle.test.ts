// While a change runs and AWS throttles it, the progress beside it says so; the count is
// read from the Rust side (which backs off and sends the throttled calls again).
import { screen } from '@testing-library/svelte';
import { render } from '../../test/render';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ThrottleNote from './ThrottleNote.svelte';
import { Workspace } from '../workspace.svelte';
import { THROTTLE_POLL_MS } from '../session.svelte';
import { callerIdentity, fakeBackend, group, updated, user, type Handlers } from '../../test/fakeBackend';

/** What adding users to a group answers: the group and each user. */
const setGroupMembers: Handlers['setGroupMembers'] = (_p, g, users) => updated(group(g), ...users.map(user));

describe('while a change runs', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('counts the calls AWS throttled since it began, and forgets them when it ends', async () => {
    let throttled = 40;
    const fake = fakeBackend({
      getThrottledCalls: () => throttled,
      setGroupMembers,
      getGroupRow: () => null,
      getUserRow: () => null,
    });
    const ws = new Workspace(fake.backend);
    ws.identity = callerIdentity('prod');
    fake.hold('setGroupMembers');
    const adding = ws.groups.setMembers('staff', ['ana', 'bo'], true);
    await vi.advanceTimersByTimeAsync(THROTTLE_POLL_MS);
    expect(ws.throttle.count).toBe(0);
    throttled = 43;
    await vi.advanceTimersByTimeAsync(THROTTLE_POLL_MS);
    expect(ws.throttle.count).toBe(3);
    expect(fake.release('setGroupMembers', 'prod')).toBe(true);
    await adding;
    expect(ws.throttle.count).toBe(0);
    const polls = fake.calls.filter((c) => c.cmd === 'getThrottledCalls').length;
    await vi.advanceTimersByTimeAsync(5 * THROTTLE_POLL_MS);
    expect(fake.calls.filter((c) => c.cmd === 'getThrottledCalls').length).toBe(polls);
  });

  it('watches nothing when the count cannot be read', async () => {
    const fake = fakeBackend({ setGroupMembers, getGroupRow: () => null, getUserRow: () => null });
    const ws = new Workspace(fake.backend);
    ws.identity = callerIdentity('prod');
    await ws.groups.setMembers('staff', ['ana'], true);
    await vi.advanceTimersByTimeAsync(3 * THROTTLE_POLL_MS);
    expect(fake.calls.filter((c) => c.cmd === 'getThrottledCalls')).toHaveLength(1);
    expect(ws.throttle.count).toBe(0);
  });
});

describe('the note', () => {
  it('says AWS is throttling and that the change goes on, only when it is', () => {
    const { rerender } = render(ThrottleNote, { count: 0 });
    expect(screen.queryByTestId('throttled')).toBeNull();
    rerender({ count: 5 });
    const note = screen.getByTestId('throttled');
    expect(note.textContent).toMatch(/AWS is throttling these calls \(5\s+times so far\)/);
    expect(note.textContent).toContain('goes on');
    expect(note.getAttribute('role')).toBe('status');
  });
});
