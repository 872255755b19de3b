// Driving the CodeMirror policy editor in component tests, as typing would.
import { EditorView } from '@codemirror/view';
import { screen } from '@testing-library/svelte';

function view(testid: string): EditorView {
  const dom = screen.getByTestId(testid).querySelector('.cm-editor');
  if (!(dom instanceof HTMLElement)) throw new Error(`no policy editor under ${testid}`);
  const found = EditorView.findFromDOM(dom);
  if (!found) throw new Error(`no policy editor under ${testid}`);
  return found;
}

/** Replaces the text of the editor under `testid`, as typing would. */
export function typeInEditor(testid: string, text: string) {
  const v = view(testid);
  v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text }, userEvent: 'input.type' });
}

/** The text of the editor under `testid`. */
export function editorText(testid: string): string {
  return view(testid).state.doc.toString();
}

/** Whether the editor under `testid` takes no typing. */
export function editorReadOnly(testid: string): boolean {
  return view(testid).state.readOnly;
}
