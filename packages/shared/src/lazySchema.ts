import { z } from 'zod';

/**
 * A schema built on first use, standing in for the one `build` returns.
 *
 * Every contract here is a module-level zod schema, and zod 4 spends tens of microseconds on each
 * instance it creates (traits, checks, a clone per `.min`/`.max`/`.optional`): the ~3,200 of the
 * API and IPC contracts cost ~100 ms per page load of the browser client (B7, B5), which needs a
 * few dozen of them. Wrapped in this, a declaration costs one Proxy at import; the schema is built
 * the first time anything touches it (a parse, `.shape`, a parent's own parse), then kept.
 *
 * Invariant: the Proxy *is* the schema, not a window onto another one. On first touch `build()`
 * gives a template, and the template's constructor runs again on the Proxy with the template's
 * definition, exactly as zod clones a schema (`new constr(def)`). So every closure zod keeps
 * (`toJSONSchema`'s processors, `unwrap`, the parsers) refers to the Proxy that parents and
 * registries hold, validation is the template's, and types are unchanged. Metadata the build
 * registered on the template (`.describe`, `.meta`) is registered on the Proxy too.
 */
export function lazySchema<T extends z.ZodType>(build: () => T): T {
  // The Proxy's target is an empty object that the first touch turns into the schema; its handler
  // holds the schema's own state and takes its traps from LAZY_TRAPS (thousands are made at
  // import: one object each, no closures).
  const handler: LazyHandler = Object.create(LAZY_TRAPS) as LazyHandler;
  handler.build = build;
  handler.state = 'lazy';
  const schema = new Proxy({}, handler);
  handler.schema = schema as z.ZodType;
  return schema as T;
}

/** A lazy schema's handler: how to build it, how far it got, and the Proxy it stands behind. */
type LazyHandler = ProxyHandler<object> & {
  build: () => z.ZodType;
  state: 'lazy' | 'building' | 'built';
  schema: z.ZodType;
};

/** Builds the schema behind `handler`'s Proxy on its first touch (traps call it with `this`). */
function ensure(handler: LazyHandler, target: object): void {
  if (handler.state !== 'lazy') return;
  handler.state = 'building';
  try {
    const template = handler.build();
    Object.setPrototypeOf(target, Object.getPrototypeOf(template));
    // The constructor's `this`: zod's `$constructor` initialises whatever object it is called on.
    Reflect.apply(template._zod.constr, handler.schema, [template._zod.def]);
    const meta = z.globalRegistry.get(template);
    if (meta !== undefined) z.globalRegistry.add(handler.schema, meta);
    handler.state = 'built';
    // The target is the schema now, and a Proxy without traps forwards to it natively: parses
    // are ~15% faster than through the traps (still ~0.3 µs slower than a plain schema's).
    Object.setPrototypeOf(handler, null);
  } finally {
    if (handler.state === 'building') handler.state = 'lazy';
  }
}

/** Every trap builds the schema first, then does what an ordinary object would. */
const LAZY_TRAPS: ProxyHandler<object> & ThisType<LazyHandler> = {
  get(t, key, receiver) {
    ensure(this, t);
    return Reflect.get(t, key, receiver);
  },
  set(t, key, value, receiver) {
    ensure(this, t);
    return Reflect.set(t, key, value, receiver);
  },
  has(t, key) {
    ensure(this, t);
    return Reflect.has(t, key);
  },
  ownKeys(t) {
    ensure(this, t);
    return Reflect.ownKeys(t);
  },
  getOwnPropertyDescriptor(t, key) {
    ensure(this, t);
    return Reflect.getOwnPropertyDescriptor(t, key);
  },
  defineProperty(t, key, descriptor) {
    ensure(this, t);
    return Reflect.defineProperty(t, key, descriptor);
  },
  deleteProperty(t, key) {
    ensure(this, t);
    return Reflect.deleteProperty(t, key);
  },
  getPrototypeOf(t) {
    ensure(this, t);
    return Reflect.getPrototypeOf(t);
  },
};

/**
 * Builds ahead of time what parsing through `schemas` would build on the way: every lazy schema
 * they hold, however deep (object shapes, union options, arrays, records, wrappers, pipes), and a
 * union's lookup by discriminator. For a client with a moment to spare (a guest typing a name)
 * before a parse it will wait on (the knock's answer, the socket's first message). Validation is
 * unchanged; a schema built already costs a visit.
 */
export function prebuild(...schemas: readonly z.ZodType[]): void {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!(value instanceof z.ZodType)) {
      // An object's shape: its fields are schemas.
      for (const field of Object.values(value)) visit(field);
      return;
    }
    const { def } = value._zod;
    // `z.lazy`'s getter may recurse for ever; what it returns is built on its first parse.
    if (def.type === 'lazy') return;
    for (const [key, child] of Object.entries(def)) if (key !== 'getter') visit(child);
    // A union by discriminator maps values to options on its first parse; a parse of no object does it.
    if (def.type === 'union' && 'discriminator' in def) value.safeParse({});
  };
  for (const schema of schemas) visit(schema);
}
