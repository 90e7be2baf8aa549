import * as Y from 'yjs';
import type { PageSession } from './session.ts';

/** A form control the SDK binds: inputs, selects and text areas with a `name`. */
export type FieldElement = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

const SKIPPED_TYPES = new Set(['hidden', 'password', 'file', 'submit', 'button', 'reset', 'image']);

/** The page's fields by name: every named control of its forms, except secrets and buttons. */
export function fieldsOf(root: ParentNode): Map<string, FieldElement> {
  const found = new Map<string, FieldElement>();
  for (const el of root.querySelectorAll<FieldElement>('form input[name], form textarea[name], form select[name]')) {
    if (el instanceof HTMLInputElement && SKIPPED_TYPES.has(el.type)) continue;
    if (el.name === 'csrf_token' || found.has(el.name)) continue;
    found.set(el.name, el);
  }
  return found;
}

/** What people call a field: its label's words, else its placeholder, else its name. */
export function labelOf(el: FieldElement): string {
  const label = el.labels?.[0]?.textContent?.replace(/\*/g, '').trim();
  return (label !== undefined && label !== '' ? label : el.getAttribute('placeholder') || el.name).slice(0, 200);
}

const isCheck = (el: FieldElement): el is HTMLInputElement =>
  el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');

const valueOf = (el: FieldElement): string | boolean => (isCheck(el) ? el.checked : el.value);

/** Applies a text change as the smallest edit (common prefix and suffix kept), so concurrent typing merges. */
export function applyTextChange(text: Y.Text, next: string): void {
  const prev = text.toString();
  if (prev === next) return;
  let start = 0;
  while (start < prev.length && start < next.length && prev[start] === next[start]) start++;
  let end = 0;
  while (
    end < prev.length - start &&
    end < next.length - start &&
    prev[prev.length - 1 - end] === next[next.length - 1 - end]
  )
    end++;
  text.doc?.transact(() => {
    if (prev.length - start - end > 0) text.delete(start, prev.length - start - end);
    if (next.length - start - end > 0) text.insert(start, next.slice(start, next.length - end));
  });
}

/** Where a caret at `index` is after a text change (a Yjs delta): text inserted before it pushes it on, text deleted before it pulls it back. */
export function caretAfter(
  delta: readonly { insert?: unknown; retain?: number; delete?: number }[],
  index: number,
): number {
  let at = 0;
  let caret = index;
  for (const op of delta) {
    if (op.retain !== undefined) at += op.retain;
    else if (op.insert !== undefined) {
      const n = typeof op.insert === 'string' ? op.insert.length : 1;
      if (at <= caret) caret += n;
      at += n;
    } else if (op.delete !== undefined) {
      if (at < caret) caret -= Math.min(op.delete, caret - at);
    }
  }
  return caret;
}

/**
 * Binds the form's controls to the page's document: short fields are values of the `fields` map
 * (last writer wins), text areas are Y.Text (characters merge). The first person on a record puts
 * the page's own values into the document; later ones take the document's. A field delegated to
 * someone else is read-only here (the server refuses it anyway).
 */
export function bindFields(session: PageSession, fields: ReadonlyMap<string, FieldElement>): () => void {
  const undo: (() => void)[] = [];
  const texts = new Map<string, Y.Text>();

  /** Shows the document's value; `moved` maps the caret through a remote text change (else it stays put). */
  const show = (name: string, el: FieldElement, moved: (index: number) => number = (i) => i): void => {
    const v = session.fields.get(name);
    if (v instanceof Y.Text) {
      const s = v.toString();
      if (el.value !== s) {
        const focused = document.activeElement === el && el instanceof HTMLTextAreaElement;
        const [a, b] = focused ? [moved(el.selectionStart), moved(el.selectionEnd)] : [0, 0];
        el.value = s;
        if (focused) el.setSelectionRange(Math.min(a, s.length), Math.min(b, s.length));
      }
    } else if (typeof v === 'boolean' && isCheck(el)) el.checked = v;
    else if (typeof v === 'string' && !isCheck(el) && el.value !== v) el.value = v;
  };

  const textOf = (name: string, el: FieldElement): Y.Text => {
    const v = session.fields.get(name);
    if (v instanceof Y.Text) return v;
    const t = new Y.Text(el.value);
    session.fields.set(name, t);
    return t;
  };

  // Seeds the document with the page's values where it has none yet; shows the document's otherwise.
  const seed = (): void => {
    session.doc.transact(() => {
      for (const [name, el] of fields) {
        if (session.fields.has(name)) show(name, el);
        else if (el instanceof HTMLTextAreaElement) texts.set(name, textOf(name, el));
        else session.fields.set(name, valueOf(el));
      }
    });
  };
  undo.push(session.on('synced', seed));

  for (const [name, el] of fields) {
    const onInput = (): void => {
      if (!session.mayWrite(name)) {
        show(name, el);
        return;
      }
      if (el instanceof HTMLTextAreaElement) applyTextChange(textOf(name, el), el.value);
      else session.fields.set(name, valueOf(el));
    };
    const kind = isCheck(el) || el instanceof HTMLSelectElement ? 'change' : 'input';
    el.addEventListener(kind, onInput);
    undo.push(() => el.removeEventListener(kind, onInput));
  }

  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    for (const e of events) {
      const names = e.target === session.fields ? [...e.changes.keys.keys()] : [String(e.path[0] ?? '')];
      const moved = e.target instanceof Y.Text ? (i: number) => caretAfter(e.delta, i) : undefined;
      for (const name of names) {
        const el = fields.get(name);
        if (el !== undefined) show(name, el, moved);
      }
    }
  };
  session.fields.observeDeep(observer);
  undo.push(() => session.fields.unobserveDeep(observer));

  const lock = (): void => {
    for (const [name, el] of fields) {
      const locked = !session.mayWrite(name);
      // Read-only, not disabled: a disabled control would be left out of the form's submit.
      if (!isCheck(el) && !(el instanceof HTMLSelectElement)) el.readOnly = locked;
      el.setAttribute('aria-readonly', String(locked));
      el.toggleAttribute('data-tandem-locked', locked);
      if (locked)
        el.setAttribute(
          'aria-description',
          `Delegated to ${session.delegationOf(name)?.delegate.name ?? 'someone else'}`,
        );
      else el.removeAttribute('aria-description');
    }
  };
  undo.push(session.on('delegations', lock));
  undo.push(session.on('ready', lock));

  return () => {
    for (const u of undo) u();
  };
}
