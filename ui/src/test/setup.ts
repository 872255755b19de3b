import './noLayoutRange';

// jsdom has no layout engine: no ResizeObserver, which `bind:clientHeight` uses. Sizes
// stay 0 there, and the virtualised table falls back to a first page of rows.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;
