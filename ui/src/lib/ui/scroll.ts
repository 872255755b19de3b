// Scrolling an open page to the part a finding's fix names, once that part exists: a page
// opened by a fix button usually renders its sections only after its data has loaded.

const WAIT_MS = 15_000;

/**
 * Scrolls to `[data-part={part}]` now if it is there, else as soon as it appears (for up
 * to 15 s). Returns a function that stops waiting (an effect's cleanup).
 */
export function scrollWhenShown(part: string, root: ParentNode = document): () => void {
  const find = () => root.querySelector<HTMLElement>(`[data-part='${part}']`);
  const scroll = (el: HTMLElement) => el.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  let observer: MutationObserver | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    observer?.disconnect();
    clearTimeout(timer);
  };
  // After this render: the part may be in the DOM already (the page's data was cached).
  queueMicrotask(() => {
    if (stopped) return;
    const now = find();
    if (now) {
      stop();
      scroll(now);
      return;
    }
    observer = new MutationObserver(() => {
      const el = find();
      if (el) {
        stop();
        scroll(el);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
    timer = setTimeout(stop, WAIT_MS);
  });
  return stop;
}
