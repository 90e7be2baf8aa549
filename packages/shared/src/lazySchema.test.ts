import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazySchema, prebuild } from './lazySchema.ts';

describe('lazySchema', () => {
  it('builds the schema on first use, once', () => {
    let builds = 0;
    const Name = lazySchema(() => {
      builds += 1;
      return z.string().min(1).max(5);
    });
    expect(builds).toBe(0);
    expect(Name.parse('Ada')).toBe('Ada');
    expect(Name.safeParse('').success).toBe(false);
    expect(Name.safeParse('Ada Lovelace').success).toBe(false);
    expect(builds).toBe(1);
  });

  it('validates as the schema it wraps, nested in parents built before it', () => {
    const Id = lazySchema(() => z.uuid());
    const Person = lazySchema(() => z.strictObject({ id: Id, name: z.string() }));
    const Team = z.object({ lead: Person, members: z.array(Person).max(2) });
    const id = '5a2f4f4e-8d3b-4c1e-9a43-3f1f0c7e2b11';
    expect(Team.parse({ lead: { id, name: 'Ada' }, members: [] })).toEqual({ lead: { id, name: 'Ada' }, members: [] });
    const bad = Team.safeParse({ lead: { id: 'nope', name: 'Ada', extra: 1 }, members: [] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['lead', 'lead.id']);
  });

  it('is the schema to everything that keeps schemas by identity: instanceof, derivations, JSON Schema, metadata', () => {
    const Url = lazySchema(() => z.url().describe('a link'));
    const Tags = lazySchema(() => z.array(z.string()).readonly());
    const Box = lazySchema(() => z.object({ url: Url, tags: Tags }));
    expect(Box).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(Box.shape)).toEqual(['url', 'tags']);
    expect(Box.extend({ n: z.number() }).safeParse({ url: 'https://a.example', tags: [], n: 1 }).success).toBe(true);
    expect(z.toJSONSchema(Box)).toMatchObject({
      type: 'object',
      properties: { url: { type: 'string', description: 'a link' }, tags: { type: 'array', readOnly: true } },
    });
  });
});

describe('prebuild', () => {
  it('builds every lazy schema a parse would reach, however deep, and no other', () => {
    const built: string[] = [];
    const counted = <T extends z.ZodType>(name: string, build: () => T): T =>
      lazySchema(() => {
        built.push(name);
        return build();
      });
    const Id = counted('Id', () => z.uuid());
    const Tag = counted('Tag', () => z.string().max(8));
    const Person = counted('Person', () => z.object({ id: Id, tags: z.array(Tag).optional() }));
    const Ready = counted('Ready', () => z.object({ type: z.literal('ready'), who: Person }));
    const Left = counted('Left', () => z.object({ type: z.literal('left'), id: Id.nullable() }));
    const Message = counted('Message', () => z.discriminatedUnion('type', [Ready, Left]));
    const Unrelated = counted('Unrelated', () => z.string());
    prebuild(Message);
    expect(built.sort()).toEqual(['Id', 'Left', 'Message', 'Person', 'Ready', 'Tag']);
    // Parsing afterwards builds nothing more, and validates as before.
    const id = '5a2f4f4e-8d3b-4c1e-9a43-3f1f0c7e2b11';
    expect(Message.parse({ type: 'ready', who: { id, tags: ['a'] } })).toEqual({
      type: 'ready',
      who: { id, tags: ['a'] },
    });
    expect(Message.safeParse({ type: 'left', id: 'nope' }).success).toBe(false);
    expect(built).toHaveLength(6);
    expect(Unrelated.parse('x')).toBe('x');
  });

  it('stops at z.lazy, whose getter may recurse for ever', () => {
    type Tree = { children: Tree[] };
    const Node: z.ZodType<Tree> = z.lazy(() => z.object({ children: z.array(Node) }));
    const Wrapped = lazySchema(() => z.object({ root: Node }));
    prebuild(Wrapped);
    expect(Wrapped.parse({ root: { children: [{ children: [] }] } })).toEqual({
      root: { children: [{ children: [] }] },
    });
  });
});
