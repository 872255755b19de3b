// Renders a component of the window the way the window does: its workspace comes from the
// context the window provides (`provideWorkspace`), not from its props. A test names the
// workspace beside the props, as `ws`.
import { render as renderAlone, type RenderResult } from '@testing-library/svelte';
import type { Component, ComponentProps } from 'svelte';
import { WORKSPACE, type Workspace } from '../lib/workspace.svelte';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any component's props
type AnyComponent = Component<any>;
/** The component's props (none: an empty object), and the workspace it runs in. */
type Props<C extends AnyComponent> = (ComponentProps<C> extends Record<string, never> ? object : ComponentProps<C>) & {
  ws?: Workspace;
};

export function render<C extends AnyComponent>(component: C, props: Props<C> = {} as Props<C>): RenderResult<C> {
  const { ws } = props;
  // Accessors stay accessors: a test binds a prop with a getter and a setter.
  const rest = {};
  for (const [key, property] of Object.entries(Object.getOwnPropertyDescriptors(props)))
    if (key !== 'ws') Object.defineProperty(rest, key, property);
  const context = new Map<symbol, Workspace>(ws ? [[WORKSPACE, ws]] : []);
  return renderAlone(component as never, { props: rest, context } as never) as RenderResult<C>;
}
