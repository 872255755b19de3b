// The shape of ui/src that the linters cannot see, checked by `npm run lint`:
//   - no files that import each other in a circle (relative imports, `import type` too);
//   - at most MAX_LIB_FILES files directly in src/lib: the rest belong in a domain folder or ui/;
//   - no function or const exported from a component's <script module> (types may be): logic
//     that other files use lives in a module of its own.
// Run it alone with `node scripts/check-imports.mjs`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Circles tolerated for now, as paths under src, each from its smallest path: none. The
 * stores depend on the session, the workspace composes them, and nothing imports back up.
 */
export const KNOWN_CYCLES = [];

export const MAX_LIB_FILES = 8;

// More circles than this are not worth listing one by one: the graph has a knot to untie.
const MOST_CYCLES = 500;

/** The code of a file: a component's <script> blocks (its markup imports nothing). */
function code(path, text) {
  if (!path.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** What `text` imports or re-exports, as written: './x.svelte', '../bindings', 'svelte'. */
export function importsOf(path, text) {
  const source = code(path, text);
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[2]));
}

/**
 * The file a relative import names, of `files` (paths with '/'), or null: the path as
 * written ('./X.svelte', './x.ts'), else with '.ts' ('./x' → x.ts, './x.svelte' → x.svelte.ts).
 */
export function resolve(from, spec, files) {
  if (!spec.startsWith('.')) return null;
  const base = posix.join(posix.dirname(from), spec.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) if (files.has(candidate)) return candidate;
  return null;
}

/** Who imports whom, from each file's path and text: { path: [imported paths] }. */
export function importGraph(texts) {
  const files = new Set(Object.keys(texts));
  const graph = {};
  for (const [path, text] of Object.entries(texts)) {
    const targets = importsOf(path, text)
      .map((spec) => resolve(path, spec, files))
      .filter((t) => t !== null);
    graph[path] = [...new Set(targets)];
  }
  return graph;
}

/**
 * Every circle of `graph` (each file once in it), from its smallest path, in order: what
 * imports what, the last file importing the first.
 */
export function findCycles(graph) {
  const nodes = Object.keys(graph).sort();
  const rank = new Map(nodes.map((n, i) => [n, i]));
  const cycles = [];
  for (const start of nodes) {
    // Only circles whose smallest file is `start`: each circle is found once.
    const path = [start];
    const onPath = new Set(path);
    const walk = (node) => {
      for (const next of graph[node] ?? []) {
        if (cycles.length >= MOST_CYCLES) return;
        if (next === start) cycles.push([...path]);
        else if (rank.get(next) > rank.get(start) && !onPath.has(next)) {
          path.push(next);
          onPath.add(next);
          walk(next);
          path.pop();
          onPath.delete(next);
        }
      }
    };
    walk(start);
  }
  return cycles;
}

/** The functions and consts a component's <script module> exports: their lines. */
export function moduleExports(text) {
  const modules = [...text.matchAll(/<script\b[^>]*\bmodule\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  return modules.flatMap((m) =>
    m
      .split('\n')
      .filter((line) => /^\s*export\s+(?:(?:async\s+)?function\b|const\b|let\b|var\b|class\b|\{)/.test(line))
      .map((line) => line.trim()),
  );
}

/** What is wrong with the tree whose files under src are `texts`, and `libFiles` in src/lib. */
export function problems(texts, libFiles, known = KNOWN_CYCLES) {
  const found = [];
  const name = (cycle) => cycle.join(' → ');
  const knownNames = new Set(known.map(name));
  const cycles = findCycles(importGraph(texts));
  const names = new Set(cycles.map(name));
  for (const cycle of cycles) {
    if (!knownNames.has(name(cycle)))
      found.push(`These files import each other in a circle: ${name(cycle)} → ${cycle[0]}`);
  }
  if (cycles.length >= MOST_CYCLES) found.push(`More than ${MOST_CYCLES} circles: only the first are listed.`);
  for (const cycle of known) {
    if (!names.has(name(cycle)))
      found.push(`A known circle is gone: take it off KNOWN_CYCLES in scripts/check-imports.mjs: ${name(cycle)}`);
  }
  if (libFiles.length > MAX_LIB_FILES) {
    found.push(
      `${libFiles.length} files sit directly in src/lib (at most ${MAX_LIB_FILES}): move some into a domain folder or ui/: ${libFiles.join(', ')}`,
    );
  }
  for (const [path, text] of Object.entries(texts)) {
    if (!path.endsWith('.svelte')) continue;
    for (const line of moduleExports(text))
      found.push(`${path}: <script module> exports logic; move it into a module of its own: ${line}`);
  }
  return found;
}

/** Every .ts and .svelte file under `dir`, by its path from `root` with '/'. */
function read(root, dir = root, texts = {}) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) read(root, path, texts);
    else if (/\.(ts|svelte)$/.test(entry))
      texts[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8');
  }
  return texts;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const lib = join(src, 'lib');
  const libFiles = readdirSync(lib).filter((entry) => statSync(join(lib, entry)).isFile());
  const found = problems(read(src), libFiles);
  for (const problem of found) console.error(problem);
  if (found.length) process.exit(1);
}
