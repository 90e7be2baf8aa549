import { SCIM_SCHEMA } from '@tandem/shared';

/**
 * SCIM filters (RFC 7644 §3.4.2.2) and attribute paths, for the User attributes this server
 * keeps. Parsing is total: anything outside what is supported is refused with a FilterError
 * (answered as `invalidFilter`, or `invalidPath` for a PATCH path) rather than matched loosely.
 */

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

export type Scalar = string | boolean | null;
/** One element of a multi-valued complex attribute (an e-mail): sub-attribute (lower case) → value. */
export type Element = Readonly<Record<string, Scalar>>;
/**
 * A resource as filters see it: attribute names in lower case, sub-attributes of single complex
 * attributes flattened (`name.givenname`), multi-valued ones as element lists (`emails`).
 */
export type FilterRecord = Readonly<Record<string, Scalar | readonly Element[]>>;

type AttrType = 'string' | 'boolean' | 'dateTime';
type AttrDef = { readonly type: AttrType; readonly caseExact: boolean };

/** What a User may be filtered by (RFC 7643 §4.1 with the case rules it sets). */
const SINGLE: Readonly<Record<string, AttrDef>> = {
  id: { type: 'string', caseExact: true },
  externalid: { type: 'string', caseExact: true },
  username: { type: 'string', caseExact: false },
  displayname: { type: 'string', caseExact: false },
  active: { type: 'boolean', caseExact: false },
  'name.givenname': { type: 'string', caseExact: false },
  'name.familyname': { type: 'string', caseExact: false },
  'name.formatted': { type: 'string', caseExact: false },
  'meta.created': { type: 'dateTime', caseExact: false },
  'meta.lastmodified': { type: 'dateTime', caseExact: false },
};
const MULTI: Readonly<Record<string, Readonly<Record<string, AttrDef>>>> = {
  emails: {
    value: { type: 'string', caseExact: false },
    type: { type: 'string', caseExact: false },
    primary: { type: 'boolean', caseExact: false },
  },
};

const COMPARE_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;
type CompareOp = (typeof COMPARE_OPS)[number];

/** `attr` and `sub` in lower case; `sub` undefined for a single attribute. */
export type AttrPath = { readonly attr: string; readonly sub?: string };

export type Filter =
  | { readonly kind: 'compare'; readonly path: AttrPath; readonly op: CompareOp; readonly value: Scalar | number }
  | { readonly kind: 'present'; readonly path: AttrPath }
  | { readonly kind: 'and' | 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly filter: Filter }
  /** `emails[type eq "work"]`, optionally followed by `.value op x`: some element matches both. */
  | { readonly kind: 'element'; readonly attr: string; readonly filter: Filter; readonly then?: Filter };

// ---- Lexing ----

type Token =
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'number'; readonly v: number }
  | { readonly t: '(' | ')' | '[' | ']' };

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ t: c });
      i += 1;
    } else if (c === '"') {
      // A JSON string (RFC 7644: compValue strings are JSON strings).
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw new FilterError('unterminated string');
      try {
        tokens.push({ t: 'string', v: JSON.parse(input.slice(i, j + 1)) as string });
      } catch {
        throw new FilterError(`invalid string ${input.slice(i, j + 1)}`);
      }
      i = j + 1;
    } else {
      const word = /^[A-Za-z0-9:._$+-]+/.exec(input.slice(i))?.[0];
      if (word === undefined) throw new FilterError(`unexpected character ${JSON.stringify(c)}`);
      tokens.push(/^-?\d+(\.\d+)?$/.test(word) ? { t: 'number', v: Number(word) } : { t: 'word', v: word });
      i += word.length;
    }
  }
  return tokens;
}

// ---- Attribute paths ----

const CORE_PREFIX = `${SCIM_SCHEMA.user.toLowerCase()}:`;

/**
 * `userName`, `name.givenName`, `emails.value`, optionally prefixed by the core User schema URN.
 * Another schema's attribute (the enterprise extension) is `undefined`: not kept by this server.
 */
export function attrPathOf(raw: string): AttrPath | undefined {
  let name = raw.toLowerCase();
  if (name.startsWith('urn:')) {
    if (!name.startsWith(CORE_PREFIX)) return undefined;
    name = name.slice(CORE_PREFIX.length);
  }
  if (!/^[a-z][a-z0-9_$-]*(\.[a-z][a-z0-9_$-]*)?$/.test(name)) throw new FilterError(`invalid attribute path ${raw}`);
  const [attr = '', sub] = name.split('.');
  return sub === undefined ? { attr } : { attr, sub };
}

function defOf(path: AttrPath, within?: string): AttrDef {
  if (within !== undefined) {
    const def = path.sub === undefined ? MULTI[within]?.[path.attr] : undefined;
    if (def === undefined) throw new FilterError(`${within} has no sub-attribute ${path.attr}`);
    return def;
  }
  const multi = MULTI[path.attr];
  // A multi-valued attribute compared as a whole means its `value` (RFC 7644 §3.4.2.2).
  if (multi !== undefined) {
    const def = multi[path.sub ?? 'value'];
    if (def === undefined) throw new FilterError(`${path.attr} has no sub-attribute ${path.sub ?? 'value'}`);
    return def;
  }
  const def = SINGLE[path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`];
  if (def === undefined) throw new FilterError(`filtering by ${pathName(path)} is not supported`);
  return def;
}

const pathName = (p: AttrPath): string => (p.sub === undefined ? p.attr : `${p.attr}.${p.sub}`);

// ---- Parsing ----

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: readonly Token[],
    /** Inside `emails[...]`: paths name sub-attributes of this attribute. */
    private readonly within?: string,
  ) {}

  parse(): Filter {
    const filter = this.or();
    if (this.at < this.tokens.length) throw new FilterError(`unexpected ${describe(this.tokens[this.at])}`);
    return filter;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const token = this.tokens[this.at];
    if (token === undefined) throw new FilterError('the filter ends too early');
    this.at += 1;
    return token;
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    if (token?.t === 'word' && token.v.toLowerCase() === word) {
      this.at += 1;
      return true;
    }
    return false;
  }

  private expect(t: '(' | ')' | ']'): void {
    const token = this.next();
    if (token.t !== t) throw new FilterError(`expected ${t}, found ${describe(token)}`);
  }

  private or(): Filter {
    let left = this.and();
    while (this.keyword('or')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Filter {
    let left = this.unary();
    while (this.keyword('and')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): Filter {
    if (this.keyword('not')) {
      this.expect('(');
      const filter = this.or();
      this.expect(')');
      return { kind: 'not', filter };
    }
    if (this.peek()?.t === '(') {
      this.next();
      const filter = this.or();
      this.expect(')');
      return filter;
    }
    return this.attrExp();
  }

  private attrExp(): Filter {
    const token = this.next();
    if (token.t !== 'word') throw new FilterError(`expected an attribute, found ${describe(token)}`);
    if (this.peek()?.t === '[') {
      if (this.within !== undefined) throw new FilterError('a value filter cannot be nested');
      const attr = attrPathOf(token.v);
      if (attr === undefined || attr.sub !== undefined || MULTI[attr.attr] === undefined) {
        throw new FilterError(`${token.v} is not a multi-valued attribute this server filters by`);
      }
      this.next();
      const inner = this.valueFilter(attr.attr);
      // `emails[type eq "work"].value eq "x"`: the bracket's word runs on as `.value`.
      const after = this.peek();
      if (after?.t === 'word' && after.v.startsWith('.')) {
        this.next();
        const sub = after.v.slice(1);
        const then = this.comparison({ v: sub }, attr.attr);
        return { kind: 'element', attr: attr.attr, filter: inner, then };
      }
      return { kind: 'element', attr: attr.attr, filter: inner };
    }
    return this.comparison(token, this.within);
  }

  /** The tokens up to the matching `]`, parsed as a filter over the attribute's sub-attributes. */
  private valueFilter(attr: string): Filter {
    const start = this.at;
    let depth = 0;
    while (this.at < this.tokens.length) {
      const t = this.tokens[this.at]?.t;
      if (t === '[') depth += 1;
      if (t === ']') {
        if (depth === 0) break;
        depth -= 1;
      }
      this.at += 1;
    }
    const inner = this.tokens.slice(start, this.at);
    this.expect(']');
    if (inner.length === 0) throw new FilterError('empty value filter');
    return new Parser(inner, attr).parse();
  }

  private comparison(attrToken: { readonly v: string }, within: string | undefined): Filter {
    const path = attrPathOf(attrToken.v);
    if (path === undefined) throw new FilterError(`filtering by ${attrToken.v} is not supported`);
    const def = defOf(path, within);
    const opToken = this.next();
    const op = opToken.t === 'word' ? opToken.v.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!(COMPARE_OPS as readonly string[]).includes(op)) {
      throw new FilterError(`unknown operator ${describe(opToken)}`);
    }
    const value = this.compValue();
    checkComparable(def, op as CompareOp, value, pathName(path));
    return { kind: 'compare', path, op: op as CompareOp, value };
  }

  private compValue(): Scalar | number {
    const token = this.next();
    if (token.t === 'string' || token.t === 'number') return token.v;
    if (token.t === 'word') {
      const word = token.v.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
    }
    throw new FilterError(`expected a value, found ${describe(token)}`);
  }
}

function describe(token: Token | undefined): string {
  if (token === undefined) return 'the end';
  if (token.t === 'word') return token.v;
  if (token.t === 'string') return JSON.stringify(token.v);
  if (token.t === 'number') return String(token.v);
  return token.t;
}

function checkComparable(def: AttrDef, op: CompareOp, value: Scalar | number, name: string): void {
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw new FilterError(`${op} null is not meaningful`);
    return;
  }
  if (def.type === 'boolean') {
    if (op !== 'eq' && op !== 'ne') throw new FilterError(`${name} is a boolean: only eq and ne apply`);
    if (typeof value !== 'boolean' && !(typeof value === 'string' && /^(true|false)$/i.test(value))) {
      throw new FilterError(`${name} is a boolean`);
    }
    return;
  }
  if (typeof value !== 'string') throw new FilterError(`${name} is compared with a string`);
  if (def.type === 'dateTime' && ['gt', 'ge', 'lt', 'le'].includes(op) && Number.isNaN(Date.parse(value))) {
    throw new FilterError(`${name} is compared with a date and time`);
  }
}

export function parseFilter(input: string): Filter {
  const tokens = lex(input);
  if (tokens.length === 0) throw new FilterError('empty filter');
  return new Parser(tokens).parse();
}

/**
 * A PATCH path (RFC 7644 §3.5.2): `active`, `name.givenName`, `emails`, or
 * `emails[type eq "work"].value`.
 */
export type PatchPath = { readonly path: AttrPath; readonly element?: Filter };

/**
 * Undefined for an attribute the server does not keep: another schema's (the enterprise
 * extension), or one `kept` says no to, whatever follows its name (`phoneNumbers[type eq "work"]`).
 */
export function parsePatchPath(input: string, kept: (attr: string) => boolean): PatchPath | undefined {
  const bracket = input.indexOf('[');
  const attr = attrPathOf((bracket < 0 ? input : input.slice(0, bracket)).trim());
  if (attr === undefined || !kept(attr.attr)) return undefined;
  if (bracket < 0) return { path: attr };
  const close = input.lastIndexOf(']');
  if (close < bracket || attr.sub !== undefined || MULTI[attr.attr] === undefined) {
    throw new FilterError(`invalid path ${input}`);
  }
  const rest = input.slice(close + 1);
  if (rest !== '' && !/^\.[A-Za-z]+$/.test(rest)) throw new FilterError(`invalid path ${input}`);
  const tokens = lex(input.slice(bracket + 1, close));
  if (tokens.length === 0) throw new FilterError(`invalid path ${input}`);
  const element = new Parser(tokens, attr.attr).parse();
  const sub = rest === '' ? undefined : rest.slice(1).toLowerCase();
  return { path: sub === undefined ? { attr: attr.attr } : { attr: attr.attr, sub }, element };
}

// ---- Evaluation ----

function fold(def: AttrDef, v: string): string {
  return def.caseExact ? v : v.toLowerCase();
}

function compareOne(def: AttrDef, op: CompareOp, actual: Scalar, expected: Scalar | number): boolean {
  if (expected === null) return actual === null;
  if (actual === null) return false;
  if (def.type === 'boolean') {
    const want = typeof expected === 'string' ? expected.toLowerCase() === 'true' : expected;
    return actual === want;
  }
  if (typeof actual !== 'string' || typeof expected !== 'string') return false;
  if (def.type === 'dateTime' && ['gt', 'ge', 'lt', 'le'].includes(op)) {
    const a = Date.parse(actual);
    const e = Date.parse(expected);
    return op === 'gt' ? a > e : op === 'ge' ? a >= e : op === 'lt' ? a < e : a <= e;
  }
  const a = fold(def, actual);
  const e = fold(def, expected);
  switch (op) {
    case 'eq':
    case 'ne':
      return a === e;
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
    default: {
      const never: never = op;
      throw new Error(`unhandled operator ${String(never)}`);
    }
  }
}

/** The values a path names in a record (several for a multi-valued attribute). */
function valuesOf(record: FilterRecord, path: AttrPath, within?: string): Scalar[] {
  if (within !== undefined) {
    const v = record[path.attr];
    return v === undefined || Array.isArray(v) ? [] : [v as Scalar];
  }
  const v = record[path.attr];
  if (Array.isArray(v)) {
    const sub = path.sub ?? 'value';
    return (v as readonly Element[]).map((e) => e[sub] ?? null);
  }
  const single = path.sub === undefined ? v : record[`${path.attr}.${path.sub}`];
  return single === undefined || Array.isArray(single) ? [] : [single as Scalar];
}

function test(filter: Filter, record: FilterRecord, within?: string): boolean {
  switch (filter.kind) {
    case 'and':
      return test(filter.left, record, within) && test(filter.right, record, within);
    case 'or':
      return test(filter.left, record, within) || test(filter.right, record, within);
    case 'not':
      return !test(filter.filter, record, within);
    case 'present':
      return valuesOf(record, filter.path, within).some((v) => v !== null && v !== '');
    case 'compare': {
      const def = defOf(filter.path, within);
      const values = valuesOf(record, filter.path, within);
      if (filter.op === 'ne') return !values.some((v) => compareOne(def, 'eq', v, filter.value));
      if (filter.value === null && values.length === 0) return true;
      return values.some((v) => compareOne(def, filter.op, v, filter.value));
    }
    case 'element': {
      const elements = record[filter.attr];
      if (!Array.isArray(elements)) return false;
      return (elements as readonly Element[]).some(
        (e) => test(filter.filter, e, filter.attr) && (filter.then === undefined || test(filter.then, e, filter.attr)),
      );
    }
    default: {
      const never: never = filter;
      throw new Error(`unhandled filter ${JSON.stringify(never)}`);
    }
  }
}

export const matches = (filter: Filter, record: FilterRecord): boolean => test(filter, record);

/** Whether an element of a multi-valued attribute matches a PATCH path's `[...]`. */
export const elementMatches = (filter: Filter, attr: string, element: Element): boolean => test(filter, element, attr);

/**
 * An equality the filter requires of every match, which the store can look up by index before
 * the filter runs on what it finds: `userName eq "x" and active eq true` narrows by userName.
 */
export type Narrowing = { readonly by: 'userName' | 'externalId' | 'id' | 'email'; readonly value: string };

export function narrowingOf(filter: Filter): Narrowing | undefined {
  if (filter.kind === 'and') return narrowingOf(filter.left) ?? narrowingOf(filter.right);
  if (filter.kind === 'element') {
    const then = filter.then;
    if (filter.attr === 'emails' && then?.kind === 'compare' && then.op === 'eq' && then.path.attr === 'value') {
      return typeof then.value === 'string' ? { by: 'email', value: then.value } : undefined;
    }
    return undefined;
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  const name = pathName(filter.path);
  if (name === 'username') return { by: 'userName', value: filter.value };
  if (name === 'externalid') return { by: 'externalId', value: filter.value };
  if (name === 'id') return { by: 'id', value: filter.value };
  if (name === 'emails' || name === 'emails.value') return { by: 'email', value: filter.value };
  return undefined;
}

/**
 * The sub-attribute values a value filter requires by equality (`type eq "work"` → type: work):
 * what a new element gets when a PATCH adds through a path no element matches yet.
 */
export function impliedBy(filter: Filter): Record<string, Scalar> {
  if (filter.kind === 'and') return { ...impliedBy(filter.left), ...impliedBy(filter.right) };
  if (filter.kind === 'compare' && filter.op === 'eq' && typeof filter.value !== 'number') {
    return { [filter.path.attr]: filter.value };
  }
  return {};
}
