import type {
  ExpertAsk,
  PageClientMessage,
  PageDelegation,
  PagePersonRef,
  PageResults,
  PageRosterEntry,
  PageServerMessage,
  PageThread,
  PageThreadMessage,
} from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { PAGE_DOC, PAGE_FRAME } from './wire.ts';

/** What the SDK needs of a WebSocket: the browser's, or `ws` in Node. */
export type SocketLike = {
  binaryType: string;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
};
export type SocketFactory = (url: string) => SocketLike;

/** What a page session tells whoever listens (the UI, a test). */
export type SessionEvents = {
  ready: { self: PagePersonRef; url: string; title: string };
  roster: PageRosterEntry[];
  delegations: PageDelegation[];
  threads: PageThread[];
  'thread.message': { field: string; message: PageThreadMessage };
  /** An ask for an expert made on this page changed (rung, answered, missed, declined, cancelled). */
  ask: ExpertAsk;
  /** A refused update or request that had no one waiting for it. */
  problem: { code: string; message: string };
  /** The document is in step with the server (after each connection's first exchange). */
  synced: undefined;
  closed: { code: number };
};

type Listener<K extends keyof SessionEvents> = (value: SessionEvents[K]) => void;
type Request = Exclude<PageClientMessage, { type: 'auth' }>;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** An error a request was answered with (`code` as the API spells it: forbidden, conflict, …). */
export class PageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const REMOTE = Symbol('remote');

const frame = (kind: number, write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, kind);
  write(e);
  return encoding.toUint8Array(e);
};

/**
 * One page's session with the coordination server: the form's Yjs document (kept across
 * reconnections), awareness for presence, and the control requests. Works in the browser and in
 * Node (tests and benchmarks pass `ws`).
 */
export class PageSession {
  readonly doc = new Y.Doc();
  readonly fields: Y.Map<unknown> = this.doc.getMap(PAGE_DOC.fields);
  readonly edits: Y.Map<unknown> = this.doc.getMap(PAGE_DOC.edits);
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  self: PagePersonRef | null = null;
  roster: PageRosterEntry[] = [];
  delegations: PageDelegation[] = [];
  threads: PageThread[] = [];
  private socket: SocketLike | null = null;
  private readonly listeners = new Map<keyof SessionEvents, Set<(value: never) => void>>();
  private readonly pending = new Map<string, Pending>();
  private nextRef = 0;

  /** Sends this client's own changes to the server (the server's own it does not hear back). */
  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== REMOTE) this.sendUpdate(update);
  };

  constructor(private readonly openSocket: SocketFactory) {
    this.doc.on('update', this.onUpdate);
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        // Only this client's own state: the server refuses anyone speaking for another.
        const own = this.doc.clientID;
        if (![...added, ...updated, ...removed].includes(own)) return;
        this.sendFrame(
          frame(PAGE_FRAME.awareness, (e) =>
            encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [own])),
          ),
        );
      },
    );
  }

  on<K extends keyof SessionEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) this.listeners.set(event, (set = new Set()));
    set.add(listener as (value: never) => void);
    return () => set.delete(listener as (value: never) => void);
  }

  private emit<K extends keyof SessionEvents>(event: K, value: SessionEvents[K]): void {
    for (const l of this.listeners.get(event) ?? []) (l as Listener<K>)(value);
  }

  get connected(): boolean {
    return this.socket !== null && this.socket.readyState === 1 && this.self !== null;
  }

  /** Opens the page socket with a fresh page token; resolves once the server said who we are. */
  connect(socketUrl: string, token: string): Promise<PagePersonRef> {
    this.socket?.close();
    const socket = this.openSocket(socketUrl);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    return new Promise<PagePersonRef>((resolve, reject) => {
      socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token } satisfies PageClientMessage));
      socket.onerror = () => reject(new PageError('unavailable', 'the page socket could not be opened'));
      socket.onclose = (event) => {
        if (this.socket !== socket) return;
        this.socket = null;
        this.self = null;
        reject(new PageError('unauthenticated', `the page socket closed (${event.code})`));
        for (const p of this.pending.values()) p.reject(new PageError('unavailable', 'the page socket closed'));
        this.pending.clear();
        // Everyone else's presence is gone with the socket; it comes back with the next one.
        const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
        awarenessProtocol.removeAwarenessStates(this.awareness, others, REMOTE);
        this.emit('closed', { code: event.code });
      };
      socket.onmessage = (event) => {
        if (typeof event.data === 'string') {
          const message = JSON.parse(event.data) as PageServerMessage;
          if (message.type === 'ready') {
            this.self = message.self;
            // Our state vector (the server answers what we lack) and our presence.
            this.sendFrame(frame(PAGE_FRAME.sync, (e) => syncProtocol.writeSyncStep1(e, this.doc)));
            if (this.awareness.getLocalState() !== null) this.awareness.setLocalState(this.awareness.getLocalState());
            resolve(message.self);
            this.emit('ready', { self: message.self, url: message.url, title: message.title });
          }
          this.receive(message);
          return;
        }
        if (event.data instanceof ArrayBuffer) this.receiveFrame(new Uint8Array(event.data));
      };
    });
  }

  private sendFrame(data: Uint8Array): void {
    if (this.connected) this.socket?.send(data);
  }

  private receiveFrame(data: Uint8Array): void {
    const d = decoding.createDecoder(data);
    const kind = decoding.readVarUint(d);
    if (kind === PAGE_FRAME.sync) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, PAGE_FRAME.sync);
      const step = this.applySync(d, e);
      if (encoding.length(e) > 1) this.socket?.send(encoding.toUint8Array(e));
      if (step === syncProtocol.messageYjsSyncStep2) this.emit('synced', undefined);
    } else if (kind === PAGE_FRAME.awareness) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(d), REMOTE);
    }
  }

  private sendUpdate(update: Uint8Array): void {
    this.sendFrame(frame(PAGE_FRAME.sync, (e) => syncProtocol.writeUpdate(e, update)));
  }

  /**
   * Applies a sync frame of the server's with no `update` listener: Yjs encodes each transaction's
   * update for those listeners, and the server's changes (the first sync is its whole document)
   * are not sent back (B11: a fifth of the first sync's task in the browser). A change of this
   * client's own made meanwhile (an observer writing as the server's change is applied) is sent
   * after it: what it added, with the document's deletions.
   */
  private applySync(d: decoding.Decoder, reply: encoding.Encoder): number {
    const own: Y.Transaction[] = [];
    const note = (tr: Y.Transaction): void => void (tr.origin !== REMOTE && own.push(tr));
    this.doc.off('update', this.onUpdate);
    this.doc.on('afterTransaction', note);
    try {
      return syncProtocol.readSyncMessage(d, reply, this.doc, REMOTE);
    } finally {
      this.doc.off('afterTransaction', note);
      this.doc.on('update', this.onUpdate);
      for (const tr of own) {
        const added = [...tr.afterState].some(([client, clock]) => (tr.beforeState.get(client) ?? 0) !== clock);
        if (added || tr.deleteSet.clients.size > 0)
          this.sendUpdate(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(tr.beforeState)));
      }
    }
  }

  private receive(message: PageServerMessage): void {
    switch (message.type) {
      case 'roster':
        this.roster = message.viewers;
        this.emit('roster', message.viewers);
        return;
      case 'delegations':
        this.delegations = message.delegations;
        this.emit('delegations', message.delegations);
        return;
      case 'threads':
        this.threads = message.threads;
        this.emit('threads', message.threads);
        return;
      case 'thread.message':
        this.emit('thread.message', { field: message.field, message: message.message });
        return;
      case 'ask':
        this.emit('ask', message.ask);
        return;
      case 'result': {
        const p = this.pending.get(message.ref);
        this.pending.delete(message.ref);
        p?.resolve(message.result);
        return;
      }
      case 'error': {
        const p = message.ref === undefined ? undefined : this.pending.get(message.ref);
        if (p !== undefined && message.ref !== undefined) {
          this.pending.delete(message.ref);
          p.reject(new PageError(message.error.code, message.error.message));
        } else this.emit('problem', message.error);
        return;
      }
      case 'ready':
        return;
    }
  }

  /** Asks the server (people, delegate, delegation.finish, thread.open, thread.post). */
  request<T extends Request['type']>(
    message: Omit<Extract<Request, { type: T }>, 'ref'> & { type: T },
  ): Promise<PageResults[T]> {
    const socket = this.socket;
    if (socket === null || !this.connected) return Promise.reject(new PageError('unavailable', 'not connected'));
    const ref = String(++this.nextRef);
    return new Promise<PageResults[T]>((resolve, reject) => {
      this.pending.set(ref, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ ...message, ref }));
    });
  }

  /** Who holds a field: the open delegation on it, if any. */
  delegationOf(field: string): PageDelegation | undefined {
    return this.delegations.find((d) => d.field === field && d.status === 'open');
  }

  /** Whether this person may write the field now (nobody else holds it). */
  mayWrite(field: string): boolean {
    const d = this.delegationOf(field);
    return d === undefined || d.delegate.id === this.self?.id;
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
    this.awareness.destroy();
    this.doc.destroy();
  }
}
