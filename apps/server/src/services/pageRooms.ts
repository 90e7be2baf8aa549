import {
  PAGE_AWARENESS_CLIENTS,
  PAGE_DOC,
  PAGE_FRAME,
  pageKeyString,
  type PageFieldEdit,
  type PageKey,
  type PagePersonRef,
  type PageServerMessage,
  type PageViewer,
  type PresenceStatus,
} from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Store } from '../store/index.ts';
import { nowIso } from './context.ts';
import type { Log } from './realtime.ts';

/** Milliseconds a document waits after its last change before it is written to the store. */
const SAVE_AFTER_MS = 300;

/** One page socket, as a room sees it. */
export type PageMember = {
  readonly person: PagePersonRef;
  sendFrame(frame: Uint8Array): void;
  send(message: PageServerMessage): void;
};

/** Where a page is: its organisation, key, address and title. */
export type PagePlace = {
  readonly organisationId: string;
  readonly page: PageKey;
  readonly url: string;
  readonly title: string;
};

type Room = PagePlace & {
  readonly key: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Each member and the awareness clients it speaks for. */
  readonly members: Map<PageMember, Set<number>>;
  /** Open delegations: field → the only person who may write it. */
  locks: ReadonlyMap<string, string>;
  saveTimer: NodeJS.Timeout | null;
  saving: Promise<void>;
  /** While a refused update is undone: the updates made, sent together once it is. */
  held: Uint8Array[] | null;
  /** Who is on it and where, as the organisation's Pages view last heard (see `noteChange`). */
  shown: string;
};

/** The origin of a refused update while it is applied and undone: nobody's change. */
const REFUSED = Symbol('refused');

/** A field's value to put back: a primitive, or a long text's words (the text is made anew). */
type Previous = { readonly text: string } | { readonly value: unknown } | undefined;
const previousOf = (map: Y.Map<unknown>, key: string): Previous => {
  if (!map.has(key)) return undefined;
  const v = map.get(key);
  return v instanceof Y.Text ? { text: v.toString() } : { value: v };
};
const restore = (map: Y.Map<unknown>, key: string, p: Previous): void => {
  if (p === undefined) map.delete(key);
  else if ('text' in p) map.set(key, new Y.Text(p.text));
  else map.set(key, p.value);
};

/** A refused frame: what the member is told. */
export class PageRefusal extends Error {}

/** A shared type as a transaction lists it. */
type Shared = Y.Transaction['changed'] extends Map<infer K, unknown> ? K : never;

/** The top-level field a (possibly nested) shared type belongs to. */
function fieldOf(fields: Y.Map<unknown>, type: Shared): string | undefined {
  let t = type;
  while (t._item !== null) {
    const { parent, parentSub } = t._item;
    if (parent === fields) return parentSub ?? undefined;
    if (!(parent instanceof Y.AbstractType)) return undefined;
    t = parent;
  }
  return undefined;
}

/** The fields a transaction changed, and whether it changed `edits`. */
function changedIn(doc: Y.Doc, tx: Y.Transaction): { fields: Set<string>; edits: boolean } {
  const fields = doc.getMap(PAGE_DOC.fields);
  const edits = doc.getMap(PAGE_DOC.edits);
  const changed = new Set<string>();
  let touchedEdits = false;
  for (const [type, subs] of tx.changed) {
    const shared: unknown = type;
    if (shared === edits) {
      touchedEdits = true;
    } else if (shared === fields) {
      for (const k of subs) if (k !== null) changed.add(k);
    } else {
      const field = fieldOf(fields, type);
      if (field !== undefined) changed.add(field);
    }
  }
  return { fields: changed, edits: touchedEdits };
}

/** What a Yjs update would change, tried on a copy of the document. */
function touched(doc: Y.Doc, update: Uint8Array): { fields: Set<string>; edits: boolean } {
  const probe = new Y.Doc();
  // Typed before anything is applied, so that changes arrive on these very instances.
  probe.getMap(PAGE_DOC.fields);
  probe.getMap(PAGE_DOC.edits);
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
  let result = { fields: new Set<string>(), edits: false };
  probe.on('afterTransaction', (tx: Y.Transaction) => {
    const c = changedIn(probe, tx);
    result = { fields: new Set([...result.fields, ...c.fields]), edits: result.edits || c.edits };
  });
  Y.applyUpdate(probe, update);
  probe.destroy();
  return result;
}

/** The clients an awareness update speaks for (its wire format: count, then id, clock, JSON state each). */
function awarenessClients(update: Uint8Array): number[] {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(decoding.readVarUint(d));
    decoding.readVarUint(d);
    decoding.readVarString(d);
  }
  return ids;
}

const frame = (kind: number, write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, kind);
  write(e);
  return encoding.toUint8Array(e);
};

/**
 * The pages people are on now: one Yjs document and awareness per page (organisation + page key),
 * in memory while someone is on it and persisted in the store. Presence is Yjs awareness, but who
 * a client is comes from the server (`roster`), never from what the client says of itself.
 */
export function pageRooms(
  store: Store,
  statuses: (organisationId: string) => Promise<Map<string, PresenceStatus>>,
  log: Log,
  /** Who is on which page, or in which field, changed in the organisation (not a cursor or a keystroke). */
  changed: (organisationId: string) => void,
) {
  const rooms = new Map<string, Promise<Room>>();

  /** Each person on the page once: the field they are in and whether they are idle (from awareness). */
  function viewersOf(room: Room, status: ReadonlyMap<string, PresenceStatus>): PageViewer[] {
    const states = room.awareness.getStates();
    return [...room.members].map(([m, ids]): PageViewer => {
      const state = [...ids].map((id) => states.get(id)).find((s) => s !== undefined);
      const field = state?.['field'];
      return {
        userId: m.person.id,
        name: m.person.name,
        status: status.get(m.person.id) ?? 'online',
        field: typeof field === 'string' && field.length > 0 ? field.slice(0, 100) : null,
        idle: state?.['idle'] === true,
      };
    });
  }

  /** Tells the organisation when who is on the page, or where, differs from what it last heard. */
  function noteChange(room: Room): void {
    const shown = JSON.stringify(viewersOf(room, new Map()));
    if (shown === room.shown) return;
    room.shown = shown;
    changed(room.organisationId);
  }

  const roomKey = (organisationId: string, page: PageKey): string => `${organisationId} ${pageKeyString(page)}`;

  function save(room: Room): Promise<void> {
    if (room.saveTimer !== null) clearTimeout(room.saveTimer);
    room.saveTimer = null;
    const state = Buffer.from(Y.encodeStateAsUpdate(room.doc)).toString('base64');
    room.saving = room.saving
      .then(() => store.pages.saveDoc(room.organisationId, room.page, state, nowIso()))
      .catch((e: unknown) => log(`the page document ${room.key} could not be saved`, e));
    return room.saving;
  }

  /** A change of the document: to every member but the one it came from, and to the store soon. */
  function publish(room: Room, update: Uint8Array, from: unknown): void {
    const f = frame(PAGE_FRAME.sync, (e) => syncProtocol.writeUpdate(e, update));
    for (const m of room.members.keys()) if (m !== from) m.sendFrame(f);
    if (room.saveTimer === null) room.saveTimer = setTimeout(() => void save(room), SAVE_AFTER_MS);
  }

  async function roster(room: Room): Promise<void> {
    const status = await statuses(room.organisationId);
    const viewers = [...room.members].flatMap(([m, ids]) =>
      [...ids].map((clientId) => ({
        clientId,
        userId: m.person.id,
        name: m.person.name,
        status: status.get(m.person.id) ?? 'online',
      })),
    );
    for (const m of room.members.keys()) m.send({ type: 'roster', viewers });
    noteChange(room);
  }

  async function open(place: PagePlace, locks: ReadonlyMap<string, string>): Promise<Room> {
    const key = roomKey(place.organisationId, place.page);
    const doc = new Y.Doc({ gc: true });
    doc.getMap(PAGE_DOC.fields);
    const edits = doc.getMap<PageFieldEdit>(PAGE_DOC.edits);
    const stored = await store.pages.doc(place.organisationId, place.page);
    if (stored !== undefined) Y.applyUpdate(doc, Buffer.from(stored, 'base64'));
    const awareness = new awarenessProtocol.Awareness(doc);
    // The server is nobody on the page.
    awareness.setLocalState(null);
    const room: Room = {
      ...place,
      key,
      doc,
      awareness,
      members: new Map(),
      locks,
      saveTimer: null,
      saving: Promise.resolve(),
      held: null,
      shown: '',
    };

    // Who changed what: the server writes it after each member's change, in its own transaction.
    doc.on('afterTransaction', (tx: Y.Transaction) => {
      const member = tx.origin;
      if (!(typeof member === 'object' && member !== null && room.members.has(member as PageMember))) return;
      const changed = changedIn(doc, tx).fields;
      if (changed.size === 0) return;
      const { person } = member as PageMember;
      const at = nowIso();
      queueMicrotask(() =>
        doc.transact(() => {
          for (const field of changed) edits.set(field, { userId: person.id, name: person.name, at });
        }, 'server'),
      );
    });
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (room.held !== null) room.held.push(update);
      else publish(room, update, origin);
    });
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const changed = [...added, ...updated, ...removed];
      const f = frame(PAGE_FRAME.awareness, (e) =>
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, changed)),
      );
      for (const m of room.members.keys()) m.sendFrame(f);
      noteChange(room);
    });
    return room;
  }

  async function roomOf(place: PagePlace, locks: () => Promise<ReadonlyMap<string, string>>): Promise<Room> {
    const key = roomKey(place.organisationId, place.page);
    let room = rooms.get(key);
    if (room === undefined) {
      room = locks().then((l) => open(place, l));
      rooms.set(key, room);
      room.catch(() => rooms.delete(key));
    }
    return room;
  }

  /** The member's own change to the document, checked against the page's locks and the server's own map. */
  /**
   * The member's own change to the document, checked against the page's locks and the server's
   * own map. A refused change is applied and undone at once (a client's updates must reach the
   * document in order, or none after it could), and everyone gets both as one update, so nobody
   * sees the refused value, and the member's own page returns to what everyone else has.
   */
  function applyUpdate(room: Room, member: PageMember, update: Uint8Array): void {
    const { fields, edits } = touched(room.doc, update);
    const forbidden = [...fields].filter((f) => {
      const holder = room.locks.get(f);
      return holder !== undefined && holder !== member.person.id;
    });
    if (!edits && forbidden.length === 0) {
      Y.applyUpdate(room.doc, update, member);
      return;
    }
    const fieldMap = room.doc.getMap(PAGE_DOC.fields);
    const editMap = room.doc.getMap(PAGE_DOC.edits);
    const before = forbidden.map((f) => [f, previousOf(fieldMap, f)] as const);
    const editsBefore = [...editMap.keys()].map((k) => [k, previousOf(editMap, k)] as const);
    room.held = [];
    try {
      Y.applyUpdate(room.doc, update, REFUSED);
      room.doc.transact(() => {
        for (const [f, p] of before) restore(fieldMap, f, p);
        if (edits) {
          for (const k of [...editMap.keys()]) if (!editsBefore.some(([e]) => e === k)) editMap.delete(k);
          for (const [k, p] of editsBefore)
            if (JSON.stringify(editMap.get(k)) !== JSON.stringify(p && 'value' in p ? p.value : undefined))
              restore(editMap, k, p);
        }
      }, REFUSED);
    } finally {
      const held = room.held;
      room.held = null;
      if (held.length > 0) publish(room, Y.mergeUpdates(held), null);
    }
    throw new PageRefusal(
      forbidden.length > 0
        ? `the field ${forbidden.join(', ')} is delegated to someone else until they finish`
        : 'who changed what is written by the server only',
    );
  }

  function receive(room: Room, member: PageMember, data: Uint8Array): void {
    const d = decoding.createDecoder(data);
    const kind = decoding.readVarUint(d);
    if (kind === PAGE_FRAME.sync) {
      const step = decoding.readVarUint(d);
      if (step === syncProtocol.messageYjsSyncStep1) {
        const reply = frame(PAGE_FRAME.sync, (e) => syncProtocol.readSyncStep1(d, e, room.doc));
        member.sendFrame(reply);
      } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
        applyUpdate(room, member, decoding.readVarUint8Array(d));
      } else throw new PageRefusal('unknown sync message');
      return;
    }
    if (kind === PAGE_FRAME.awareness) {
      const update = decoding.readVarUint8Array(d);
      const mine = room.members.get(member);
      if (mine === undefined) return;
      const ids = awarenessClients(update);
      for (const id of ids) {
        const owner = [...room.members].find(([, set]) => set.has(id))?.[0];
        if (owner !== undefined && owner !== member) throw new PageRefusal('another person speaks for that client');
      }
      const fresh = ids.filter((id) => !mine.has(id));
      if (mine.size + fresh.length > PAGE_AWARENESS_CLIENTS) throw new PageRefusal('too many awareness clients');
      for (const id of fresh) mine.add(id);
      awarenessProtocol.applyAwarenessUpdate(room.awareness, update, member);
      if (fresh.length > 0) void roster(room).catch((e: unknown) => log('page roster failed', e));
      return;
    }
    throw new PageRefusal('unknown frame');
  }

  return {
    /**
     * Puts a member on the page: it gets the document's state vector to answer (sync step 1), the
     * server's own (so it sends what the server lacks) and everyone's awareness.
     */
    async join(place: PagePlace, member: PageMember, locks: () => Promise<ReadonlyMap<string, string>>) {
      const room = await roomOf(place, locks);
      room.members.set(member, new Set());
      member.sendFrame(frame(PAGE_FRAME.sync, (e) => syncProtocol.writeSyncStep1(e, room.doc)));
      const present = [...room.awareness.getStates().keys()];
      if (present.length > 0)
        member.sendFrame(
          frame(PAGE_FRAME.awareness, (e) =>
            encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(room.awareness, present)),
          ),
        );
      await roster(room);
      return {
        receive: (data: Uint8Array) => receive(room, member, data),
        async leave(): Promise<void> {
          const ids = room.members.get(member);
          room.members.delete(member);
          if (ids !== undefined && ids.size > 0)
            awarenessProtocol.removeAwarenessStates(room.awareness, [...ids], null);
          if (room.members.size > 0) {
            await roster(room);
            return;
          }
          rooms.delete(room.key);
          changed(room.organisationId);
          room.awareness.destroy();
          await save(room);
          room.doc.destroy();
        },
      };
    },

    /** Someone's status changed: the pages they are on show it (their roster again). */
    async restatus(organisationId: string, userId: string): Promise<void> {
      const theirs = (await Promise.all([...rooms.values()])).filter(
        (r) => r.organisationId === organisationId && [...r.members.keys()].some((m) => m.person.id === userId),
      );
      await Promise.all(theirs.map((room) => roster(room)));
    },

    /** Sends to everyone on the page (if anyone is). */
    async broadcast(organisationId: string, page: PageKey, message: PageServerMessage): Promise<void> {
      const room = await rooms.get(roomKey(organisationId, page));
      if (room === undefined) return;
      for (const m of room.members.keys()) m.send(message);
    },

    /** The page's field locks changed (a delegation made or finished). */
    async relock(organisationId: string, page: PageKey, locks: ReadonlyMap<string, string>): Promise<void> {
      const room = await rooms.get(roomKey(organisationId, page));
      if (room !== undefined) room.locks = locks;
    },

    /** The title of the page, if someone is on it on this instance (no one's status is read). */
    async titleOf(organisationId: string, page: PageKey): Promise<string | undefined> {
      return (await rooms.get(roomKey(organisationId, page)))?.title;
    },

    /** The organisation's pages with someone on them, and who is in which field (from awareness). */
    async now(organisationId: string): Promise<{ place: PagePlace; viewers: PageViewer[] }[]> {
      const status = await statuses(organisationId);
      const mine = (await Promise.all([...rooms.values()])).filter((r) => r.organisationId === organisationId);
      return mine.map((room) => {
        const viewers = viewersOf(room, status);
        const { organisationId: org, page, url, title } = room;
        return { place: { organisationId: org, page, url, title }, viewers };
      });
    },

    /** Writes every open document (before the store closes). */
    async flush(): Promise<void> {
      await Promise.all([...rooms.values()].map(async (r) => save(await r)));
    },
  };
}

export type PageRooms = ReturnType<typeof pageRooms>;
