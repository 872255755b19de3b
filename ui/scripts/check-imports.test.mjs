// The import check on a tree made up here: what it resolves, and what it refuses.
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph, problems } from './check-imports.mjs';

const TREE = {
  'lib/workspace.svelte.ts': "import { UsersApi } from './users/users';\nimport icon from '../icon.svg?raw';",
  'lib/users/users.ts': "import type { Workspace } from '../workspace.svelte';",
  'lib/users/UsersView.svelte':
    "<script lang=\"ts\">\n  import {\n    Latest,\n  } from '../ui/latest.svelte';\n  import Table from './Table.svelte';\n</script>\n<p>import nothing from 'here'</p>",
  'lib/users/Table.svelte': '<script lang="ts">\n  import rows from \'./rows.ts?raw\';\n</script>',
  'lib/users/rows.ts': '',
  'lib/ui/latest.svelte.ts': "import type { IpcError } from '../bindings';",
};

describe('check-imports', () => {
  it('resolves import type, ?raw and .svelte.ts modules imported as .svelte, never the markup', () => {
    expect(importGraph(TREE)).toEqual({
      'lib/workspace.svelte.ts': ['lib/users/users.ts'],
      'lib/users/users.ts': ['lib/workspace.svelte.ts'],
      'lib/users/UsersView.svelte': ['lib/ui/latest.svelte.ts', 'lib/users/Table.svelte'],
      'lib/users/Table.svelte': ['lib/users/rows.ts'],
      'lib/users/rows.ts': [],
      'lib/ui/latest.svelte.ts': [],
    });
  });

  it('finds every circle once, from its smallest file', () => {
    const graph = { a: ['b'], b: ['c', 'a'], c: ['a'], d: ['d'], e: ['a'] };
    expect(findCycles(graph)).toEqual([['a', 'b', 'c'], ['a', 'b'], ['d']]);
  });

  it('fails on a new circle and on a known one that is gone, and passes the known ones', () => {
    const known = [['lib/users/users.ts', 'lib/workspace.svelte.ts']];
    expect(problems(TREE, [], known)).toEqual([]);
    expect(problems(TREE, [], [])).toEqual([
      'These files import each other in a circle: lib/users/users.ts → lib/workspace.svelte.ts → lib/users/users.ts',
    ]);
    const untied = { ...TREE, 'lib/users/users.ts': '' };
    expect(problems(untied, [], known)).toEqual([
      'A known circle is gone: take it off KNOWN_CYCLES in scripts/check-imports.mjs: lib/users/users.ts → lib/workspace.svelte.ts',
    ]);
  });

  it('fails on logic exported from a <script module> and on a crowded src/lib, not on types', () => {
    const tree = {
      'lib/X.svelte': '<script module lang="ts">\n  export type Stage = 1;\n  export const LIMIT = 5;\n</script>',
    };
    expect(problems(tree, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], [])).toEqual([
      'lib/X.svelte: <script module> exports logic; move it into a module of its own: export const LIMIT = 5;',
    ]);
    expect(problems({}, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], [])).toHaveLength(1);
  });
});
