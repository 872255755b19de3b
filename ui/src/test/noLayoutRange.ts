// CodeMirror measures text through Range rectangles, which jsdom does not have (it has no
// layout). Empty rectangles let it render and mark text; nothing here checks positions.
const empty = (): DOMRect => ({
  x: 0,
  y: 0,
  width: 0,
  height: 0,
  top: 0,
  left: 0,
  right: 0,
  bottom: 0,
  toJSON: () => ({}),
});
Range.prototype.getClientRects ??= function () {
  return Object.assign([], { item: () => null }) as unknown as DOMRectList;
};
Range.prototype.getBoundingClientRect ??= empty;
