import type { Compilable, CompiledQuery } from 'kysely';

/** Stands for the value named `key` while the query is compiled; never sent to the database. */
const marker = (key: string): string => `\u0000compiledOnce:${key}\u0000`;

/**
 * A hot query that Kysely builds and compiles to SQL once instead of at every call: building and
 * compiling a small statement costs several times what SQLite takes to run it (BENCHMARKS.md, B2).
 * `build` makes the query from named values and must not branch on them (each is one value, never
 * a list); the first call compiles it with a marker in place of each value, and every call answers
 * that SQL with its own values, which must be named as at the first. Constants stay as compiled.
 */
export function compiledOnce<V extends Readonly<Record<string, unknown>>, R>(
  build: (values: V) => Compilable<R>,
): (values: V) => CompiledQuery<R> {
  let template: { readonly compiled: CompiledQuery<R>; readonly slots: readonly (string | undefined)[] } | undefined;
  return (values) => {
    if (template === undefined) {
      const keys = Object.keys(values);
      const markers = Object.fromEntries(keys.map((key) => [key, marker(key)]));
      const compiled = build(markers as V).compile();
      const slots = compiled.parameters.map((p) => keys.find((key) => markers[key] === p));
      const unused = keys.find((key) => !slots.includes(key));
      if (unused !== undefined) throw new Error(`compiledOnce: ${unused} is not a value of the query`);
      template = { compiled, slots };
    }
    const { compiled, slots } = template;
    return {
      ...compiled,
      parameters: slots.map((key, i) => (key === undefined ? compiled.parameters[i] : values[key])),
    };
  };
}
