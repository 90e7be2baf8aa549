/**
 * Import circles in a folder of TypeScript: every relative import (type-only and `import()` too)
 * between its .ts/.tsx files, read with the compiler's own pre-processor, and each strongly
 * connected group of files given as one circle through it. `importCycles.test.ts` holds the
 * renderer to none.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SOURCE = /\.tsx?$/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** Each file's relative imports of other files in `root`, as absolute paths. */
export function importGraph(root: string): Map<string, string[]> {
  const files = sourceFiles(root);
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
      const targets = importedFiles
        .map(({ fileName }) => fileName)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => path.resolve(path.dirname(file), spec))
        .filter((target) => known.has(target));
      return [file, [...new Set(targets)]];
    }),
  );
}

/** One circle per strongly connected group (Tarjan), each as `a → b → … → a`, relative to `root`. */
export function importCycles(root: string): string[] {
  const graph = importGraph(root);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];

  function visit(file: string): void {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) groups.push(group);
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file);

  return groups.map((group) => {
    const members = new Set(group);
    const start = group.reduce((a, b) => (a < b ? a : b));
    // Walk inside the group from its first file until a file repeats: that is a circle.
    const walk = [start];
    for (;;) {
      const last = walk[walk.length - 1] ?? start;
      const next = (graph.get(last) ?? []).find((t) => members.has(t)) ?? start;
      const seen = walk.indexOf(next);
      if (seen !== -1) return [...walk.slice(seen), next].map((f) => path.relative(root, f)).join(' → ');
      walk.push(next);
    }
  });
}
