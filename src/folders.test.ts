/**
 * The house has no folder cycle: the folders under src/ (and their subfolders) import each other
 * in one direction only, e.g. components → client → shared, worker → shared, never back (a folder
 * and its own subfolders count as one).
 * Read from the relative imports of every source file (type-only imports count too).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'assembly' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(d.name) && !/\.(test|fuzz\.test)\.tsx?$/.test(d.name) ? [p] : [];
  });
}

const within = (inner: string, outer: string) => outer === '.' || inner.startsWith(`${outer}/`);

/** Folder → the folders it imports from (relative to src/, '.' for src itself). */
export function folderGraph(files: readonly string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = relative(SRC, dirname(file)) || '.';
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
      const target = resolve(dirname(file), m[1] ?? m[2]!);
      if (!target.startsWith(SRC)) continue;
      const to = relative(SRC, dirname(target)) || '.';
      // A folder and its own subfolders are one unit (kernel/ implements worker's step interface);
      // every other edge counts, e.g. components/mine → components → client.
      if (to !== from && !within(to, from) && !within(from, to)) (graph.get(from) ?? graph.set(from, new Set()).get(from)!).add(to);
    }
  }
  return graph;
}

/** One cycle as a path of folders, or null. */
export function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

describe('folders', () => {
  it('import each other in one direction only (no folder cycle under src/)', () => {
    const graph = folderGraph(sources(SRC));
    expect(graph.size).toBeGreaterThan(5);
    expect(findCycle(graph)?.join(' → ') ?? null).toBeNull();
  });

  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['components', new Set(['client'])],
      ['client', new Set(['shared', 'components/mine'])],
      ['components/mine', new Set(['components'])],
    ]);
    expect(findCycle(g)).toEqual(['components', 'client', 'components/mine', 'components']);
  });
});
