import type { ExpertAsk, PageFieldEdit, PageRosterEntry, PageThreadMessage, PresenceStatus } from '@tandem/shared';
import { labelOf, type FieldElement } from './binding.ts';
import type { PageSession } from './session.ts';
import { nextTask } from './tasks.ts';

/** Milliseconds without a key, click or move before one shows as idle. */
export const IDLE_AFTER_MS = 60_000;
const CURSOR_EVERY_MS = 50;
/** Fields whose tools one task draws (see `drawTools`): the host page's tasks stay short. */
const TOOLS_PER_TASK = 12;

/** What a person shares with the page through awareness (never who they are: the server says that). */
export type LocalState = { field: string | null; cursor: { x: number; y: number } | null; idle: boolean };

const COLOURS = ['#1d4ed8', '#be185d', '#047857', '#b45309', '#6d28d9', '#b91c1c', '#0e7490', '#3f6212'];
const colourOf = (id: string): string => {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length] ?? '#2563eb';
};
const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
const STATUS_TEXT: Readonly<Record<PresenceStatus, string>> = {
  online: 'online',
  away: 'away',
  busy: 'busy',
  in_meeting: 'in a meeting',
  presenting: 'presenting',
  dnd: 'do not disturb',
  offline: 'offline',
};

const CSS = `
.tp-bar{position:fixed;top:8px;right:8px;z-index:2147483000;display:flex;gap:6px;align-items:center;background:#fff;border:1px solid #d0d5dd;border-radius:20px;padding:4px 8px;font:13px system-ui,sans-serif;color:#101828;box-shadow:0 2px 6px rgba(0,0,0,.12)}
.tp-avatar{position:relative;width:28px;height:28px;border-radius:50%;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-weight:600;font-size:12px}
.tp-avatar[data-idle="true"]{opacity:.45}
.tp-dot{position:absolute;right:-2px;bottom:-2px;width:10px;height:10px;border-radius:50%;border:2px solid #fff;background:#12b76a}
.tp-dot[data-status="away"]{background:#f79009}.tp-dot[data-status="busy"]{background:#d92d20}.tp-dot[data-status="dnd"]{background:#d92d20}.tp-dot[data-status="in_meeting"]{background:#7a5af8}.tp-dot[data-status="presenting"]{background:#d92d20}.tp-dot[data-status="offline"]{background:#98a2b3}
.tp-btn{font:inherit;border:1px solid #d0d5dd;background:#fff;border-radius:6px;padding:2px 8px;cursor:pointer;color:#101828}
.tp-btn:focus-visible,.tp-tool:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
.tp-ring{position:absolute;z-index:2147482000;pointer-events:none;border:2px solid;border-radius:4px}
.tp-ring span,.tp-cursor span{position:absolute;left:-2px;top:-20px;color:#fff;font:12px system-ui,sans-serif;padding:1px 6px;border-radius:4px;white-space:nowrap}
.tp-cursor{position:absolute;z-index:2147483001;pointer-events:none;width:0;height:0;border-left:6px solid transparent;border-right:6px solid transparent;border-bottom:14px solid;transform:rotate(-30deg)}
.tp-cursor span{top:14px;left:8px;transform:rotate(30deg)}
.tp-tools{position:absolute;z-index:2147482500;display:flex;gap:2px}
.tp-tool{font:12px system-ui,sans-serif;border:1px solid #d0d5dd;background:#fff;border-radius:10px;padding:0 6px;height:20px;cursor:pointer;color:#344054}
.tp-tool[data-count]:not([data-count="0"]){background:#eff8ff;border-color:#2563eb}
.tp-lock{font:12px system-ui,sans-serif;background:#fef0c7;color:#7a2e0e;border-radius:10px;padding:0 6px;height:20px;line-height:20px}
.tp-dialog{position:fixed;z-index:2147483002;right:16px;top:56px;width:340px;max-height:70vh;overflow:auto;background:#fff;border:1px solid #d0d5dd;border-radius:8px;box-shadow:0 8px 24px rgba(0,0,0,.18);padding:12px;font:14px system-ui,sans-serif;color:#101828}
.tp-dialog h2{font-size:15px;margin:0 0 8px}
.tp-dialog label{display:block;margin:8px 0 2px;font-weight:600}
.tp-dialog input,.tp-dialog textarea,.tp-dialog select{width:100%;box-sizing:border-box;font:inherit;padding:4px;border:1px solid #98a2b3;border-radius:4px}
.tp-msg{border-bottom:1px solid #eaecf0;padding:6px 0}.tp-msg b{display:block;font-size:12px;color:#475467}
.tp-row{display:flex;flex-wrap:wrap;gap:8px;justify-content:flex-end;margin-top:10px}
.tp-row a.tp-btn{text-decoration:none;white-space:nowrap}
.tp-menu{position:absolute;z-index:2147483002;background:#fff;border:1px solid #d0d5dd;border-radius:6px;box-shadow:0 4px 12px rgba(0,0,0,.15);padding:4px;display:flex;flex-direction:column;min-width:160px}
.tp-menu button{font:13px system-ui,sans-serif;text-align:left;border:0;background:none;padding:6px 8px;cursor:pointer;color:#101828}
.tp-menu button:hover,.tp-menu button:focus-visible{background:#f2f4f7;outline:none}
.tp-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A small line icon (the host page may have no emoji font): a speech bubble or a padlock. */
const ICONS = {
  comment: 'M4 5h16v11H9l-5 4z',
  lock: 'M7 11V8a5 5 0 0 1 10 0v3M5 11h14v10H5z',
} as const;
function icon(name: keyof typeof ICONS): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({
    width: '12',
    height: '12',
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2',
    'aria-hidden': 'true',
  }))
    svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

const boxOf = (target: Element) => {
  const r = target.getBoundingClientRect();
  return {
    left: r.left + window.scrollX,
    top: r.top + window.scrollY,
    width: r.width,
    height: r.height,
    right: r.right + window.scrollX,
  };
};

/**
 * What people see on the host page: who is here (avatars with status, idle dimmed), where the
 * others are (a ring with their name around their field, their cursor unless they turned it off),
 * and beside each field a comment bubble (its thread) and a menu (delegate, finish, take back).
 */
export function mountUi(session: PageSession, fields: ReadonlyMap<string, FieldElement>): () => void {
  const root = el('div', { 'data-tandem-pages': '' });
  root.append(el('style', {}, CSS));
  const live = el('div', { class: 'tp-sr', 'aria-live': 'polite' });
  const avatars = el('div', { role: 'list', 'aria-label': 'People on this page' });
  const cursorsBtn = el('button', { class: 'tp-btn', type: 'button', 'aria-pressed': 'true' }, 'My cursor: shown');
  const expertBtn = el('button', { class: 'tp-btn', type: 'button', 'aria-haspopup': 'dialog' }, 'Ask an expert');
  const bar = el('div', { class: 'tp-bar', role: 'region', 'aria-label': 'Tandem' }, avatars, cursorsBtn, expertBtn);
  const overlay = el('div');
  root.append(bar, overlay, live);
  document.body.append(root);

  const local: LocalState = { field: null, cursor: null, idle: false };
  let shareCursor = true;
  const publish = (): void => session.awareness.setLocalState({ ...local, cursor: shareCursor ? local.cursor : null });
  publish();

  let mounted = true;
  const undo: (() => void)[] = [
    () => {
      mounted = false;
      root.remove();
    },
  ];
  const listen = <K extends keyof WindowEventMap>(
    target: Window | HTMLElement,
    type: K,
    fn: (e: WindowEventMap[K]) => void,
  ) => {
    target.addEventListener(type, fn as EventListener, { passive: true });
    undo.push(() => target.removeEventListener(type, fn as EventListener));
  };

  cursorsBtn.addEventListener('click', () => {
    shareCursor = !shareCursor;
    cursorsBtn.setAttribute('aria-pressed', String(shareCursor));
    cursorsBtn.textContent = shareCursor ? 'My cursor: shown' : 'My cursor: hidden';
    publish();
  });

  expertBtn.addEventListener('click', () => openAsk(expertBtn));

  // Focus: which field one is in.
  for (const [name, f] of fields) {
    const focus = () => {
      local.field = name;
      publish();
    };
    const blur = () => {
      if (local.field === name) local.field = null;
      publish();
    };
    f.addEventListener('focus', focus);
    f.addEventListener('blur', blur);
    undo.push(() => {
      f.removeEventListener('focus', focus);
      f.removeEventListener('blur', blur);
    });
  }

  // Cursor and idle.
  let lastCursor = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const active = (): void => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      local.idle = true;
      publish();
    }, IDLE_AFTER_MS);
    if (local.idle) {
      local.idle = false;
      publish();
    }
  };
  active();
  undo.push(() => clearTimeout(idleTimer));
  listen(window, 'mousemove', (e) => {
    active();
    const now = performance.now();
    if (now - lastCursor < CURSOR_EVERY_MS) return;
    lastCursor = now;
    local.cursor = { x: e.pageX, y: e.pageY };
    if (shareCursor) publish();
  });
  listen(window, 'keydown', active);

  // Others: avatars, rings, cursors.
  const others = (): { entry: PageRosterEntry; state: Partial<LocalState> }[] =>
    session.roster
      .filter((v) => v.clientId !== session.doc.clientID)
      .map((entry) => ({
        entry,
        state: (session.awareness.getStates().get(entry.clientId) ?? {}) as Partial<LocalState>,
      }));

  const drawPresence = (): void => {
    const seen = new Set<string>();
    const items: HTMLElement[] = [];
    const states = session.awareness.getStates();
    for (const v of session.roster) {
      if (seen.has(v.userId)) continue;
      seen.add(v.userId);
      const state = (states.get(v.clientId) ?? {}) as Partial<LocalState>;
      const where = state.field
        ? `, in ${labelOf(fields.get(state.field) ?? ({ name: state.field } as FieldElement))}`
        : '';
      const idle = state.idle === true;
      const you = v.userId === session.self?.id ? ' (you)' : '';
      const text = `${v.name}${you}: ${STATUS_TEXT[v.status]}${idle ? ', idle' : ''}${where}`;
      items.push(
        el(
          'span',
          {
            role: 'listitem',
            class: 'tp-avatar',
            style: `background:${colourOf(v.userId)}`,
            title: text,
            'aria-label': text,
            'data-idle': String(idle),
            'data-user': v.name,
          },
          initials(v.name),
          el('span', { class: 'tp-dot', 'data-status': v.status, 'aria-hidden': 'true' }),
        ),
      );
    }
    avatars.replaceChildren(...items);
    const marks: HTMLElement[] = [];
    for (const { entry, state } of others()) {
      const colour = colourOf(entry.userId);
      const target = state.field ? fields.get(state.field) : undefined;
      if (target !== undefined) {
        const b = boxOf(target);
        marks.push(
          el(
            'div',
            {
              class: 'tp-ring',
              'data-ring': entry.name,
              style: `left:${b.left - 3}px;top:${b.top - 3}px;width:${b.width + 2}px;height:${b.height + 2}px;border-color:${colour}`,
            },
            el('span', { style: `background:${colour}` }, entry.name),
          ),
        );
      }
      if (state.cursor && typeof state.cursor.x === 'number' && typeof state.cursor.y === 'number')
        marks.push(
          el(
            'div',
            {
              class: 'tp-cursor',
              'data-cursor': entry.name,
              'aria-hidden': 'true',
              style: `left:${state.cursor.x}px;top:${state.cursor.y}px;border-bottom-color:${colour}`,
            },
            el('span', { style: `background:${colour}` }, entry.name),
          ),
        );
    }
    overlay.replaceChildren(...marks);
  };
  undo.push(session.on('roster', drawPresence));
  const onAwareness = (): void => drawPresence();
  session.awareness.on('change', onAwareness);
  undo.push(() => session.awareness.off('change', onAwareness));
  listen(window, 'resize', drawPresence);
  // Mounted after the socket opened, maybe: who is here already.
  drawPresence();

  // Beside each field: its thread and its menu. Each field's tools are made once and brought up to
  // date in place; a draw runs in tasks of its own, TOOLS_PER_TASK fields at a time, and the
  // draws asked for meanwhile (ready, threads, delegations, edits, resize) make one more draw.
  const tools = el('div');
  root.append(tools);
  type Tools = { readonly row: HTMLElement; readonly bubble: HTMLElement; readonly count: Text };
  const made = new Map<string, Tools>();
  const makeTools = (name: string, label: string): Tools => {
    const count = document.createTextNode('');
    const bubble = el(
      'button',
      { type: 'button', class: 'tp-tool', 'data-tandem-thread': name },
      icon('comment'),
      // Named by its content, so what a screen reader says includes the count that is seen.
      el('span', { class: 'tp-sr' }, `Comments on ${label}`),
      count,
    );
    bubble.addEventListener('click', () => void openThread(name, label, bubble));
    const more = el(
      'button',
      {
        type: 'button',
        class: 'tp-tool',
        'data-tandem-menu': name,
        'aria-haspopup': 'menu',
        'aria-label': `More for ${label}`,
      },
      '⋯',
    );
    more.addEventListener('click', () => openMenu(name, label, more));
    const row = el('div', { class: 'tp-tools' }, bubble, more);
    tools.append(row);
    return { row, bubble, count };
  };
  const drawTool = (name: string, f: FieldElement, b: ReturnType<typeof boxOf>): void => {
    const label = labelOf(f);
    let t = made.get(name);
    if (t === undefined) made.set(name, (t = makeTools(name, label)));
    const thread = session.threads.find((x) => x.field === name);
    const d = session.delegationOf(name);
    const edit = session.edits.get(name) as PageFieldEdit | undefined;
    t.row.style.left = `${b.right + 4}px`;
    t.row.style.top = `${b.top}px`;
    t.bubble.setAttribute('data-count', thread ? '1' : '0');
    t.bubble.title = edit ? `Last changed by ${edit.name}` : `Comments on ${label}`;
    t.count.data = thread ? ' 1' : '';
    const lock =
      d === undefined
        ? ''
        : ` ${d.delegate.id === session.self?.id ? 'Delegated to you' : `Delegated to ${d.delegate.name}`}`;
    let shown = t.row.querySelector<HTMLElement>('.tp-lock');
    if (lock === '') shown?.remove();
    else if (shown?.lastChild?.textContent !== lock) {
      shown?.remove();
      shown = el('span', { class: 'tp-lock', 'data-tandem-lock': name, role: 'note' }, icon('lock'), lock);
      t.row.append(shown);
    }
  };
  let drawing = false;
  let drawAgain = false;
  const drawTools = (): void => {
    if (drawing) {
      drawAgain = true;
      return;
    }
    drawing = true;
    void (async () => {
      do {
        drawAgain = false;
        await nextTask();
        if (!mounted) return;
        // Every box at once (one layout): the tools are out of the page's flow and move nothing.
        const all = [...fields].map(([name, f]) => [name, f, boxOf(f)] as const);
        for (let i = 0; i < all.length && mounted; i += TOOLS_PER_TASK) {
          if (i > 0) await nextTask();
          for (const [name, f, b] of all.slice(i, i + TOOLS_PER_TASK)) if (mounted) drawTool(name, f, b);
        }
      } while (drawAgain && mounted);
    })().finally(() => {
      drawing = false;
    });
  };
  for (const event of ['threads', 'delegations', 'ready'] as const) undo.push(session.on(event, drawTools));
  const onEdits = (): void => drawTools();
  session.edits.observe(onEdits);
  undo.push(() => session.edits.unobserve(onEdits));
  listen(window, 'resize', drawTools);
  drawTools();

  // Dialogs and the menu: one at a time; Escape closes and gives focus back.
  let open: { node: HTMLElement; back: HTMLElement } | null = null;
  const close = (): void => {
    if (open === null) return;
    open.node.remove();
    open.back.focus();
    open = null;
  };
  const show = (node: HTMLElement, back: HTMLElement): void => {
    close();
    node.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') close();
    });
    root.append(node);
    open = { node, back };
    node.querySelector<HTMLElement>('textarea,input,button')?.focus();
  };

  function openMenu(name: string, label: string, anchor: HTMLElement): void {
    const b = boxOf(anchor);
    const menu = el('div', {
      class: 'tp-menu',
      role: 'menu',
      'aria-label': `${label}: actions`,
      style: `left:${b.left}px;top:${b.top + 24}px`,
    });
    const item = (text: string, act: () => void) => {
      const btn = el('button', { type: 'button', role: 'menuitem' }, text);
      btn.addEventListener('click', act);
      menu.append(btn);
    };
    const d = session.delegationOf(name);
    if (d === undefined) item('Delegate to a colleague…', () => openDelegate(name, label, anchor));
    if (d !== undefined && d.delegate.id === session.self?.id)
      item('Mark as done', () => void finish(d.id, 'done', anchor));
    if (d !== undefined && d.delegatedBy.id === session.self?.id)
      item('Take back the delegation', () => void finish(d.id, 'cancelled', anchor));
    item('Comments…', () => void openThread(name, label, anchor));
    menu.addEventListener('keydown', (e) => {
      const buttons = [...menu.querySelectorAll('button')];
      const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
      if (e.key === 'ArrowDown') buttons[(i + 1) % buttons.length]?.focus();
      if (e.key === 'ArrowUp') buttons[(i - 1 + buttons.length) % buttons.length]?.focus();
    });
    show(menu, anchor);
  }

  async function finish(id: string, status: 'done' | 'cancelled', back: HTMLElement): Promise<void> {
    close();
    try {
      await session.request({ type: 'delegation.finish', delegationId: id, status });
      live.textContent = status === 'done' ? 'Delegation marked as done' : 'Delegation taken back';
    } catch (e) {
      live.textContent = e instanceof Error ? e.message : 'It did not work';
    }
    back.focus();
  }

  function openDelegate(name: string, label: string, back: HTMLElement): void {
    const id = `tp-del-${Math.random().toString(36).slice(2)}`;
    const search = el('input', { id: `${id}-q`, type: 'search', autocomplete: 'off' });
    const person = el('select', { id: `${id}-p`, required: '' });
    const note = el('textarea', { id: `${id}-n`, rows: '3' });
    const due = el('input', { id: `${id}-d`, type: 'date' });
    const error = el('p', { role: 'alert' });
    const send = el('button', { type: 'submit', class: 'tp-btn' }, 'Delegate');
    const cancel = el('button', { type: 'button', class: 'tp-btn' }, 'Cancel');
    cancel.addEventListener('click', close);
    const form = el(
      'form',
      { class: 'tp-dialog', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': `${id}-h` },
      el('h2', { id: `${id}-h` }, `Delegate “${label}”`),
      el('label', { for: `${id}-q` }, 'Find a colleague'),
      search,
      el('label', { for: `${id}-p` }, 'Colleague'),
      person,
      el('label', { for: `${id}-n` }, 'Note'),
      note,
      el('label', { for: `${id}-d` }, 'Due date'),
      due,
      error,
      el('div', { class: 'tp-row' }, cancel, send),
    );
    const find = async (): Promise<void> => {
      const { people } = await session.request({ type: 'people', q: search.value });
      person.replaceChildren(
        ...people.map((p) => el('option', { value: p.id }, `${p.name} (${STATUS_TEXT[p.status]})`)),
      );
    };
    search.addEventListener('input', () => void find().catch(() => undefined));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void session
        .request({
          type: 'delegate',
          field: name,
          fieldLabel: label,
          userId: person.value,
          note: note.value,
          dueDate: due.value === '' ? null : due.value,
        })
        .then((d) => {
          close();
          live.textContent = `“${label}” delegated to ${d.delegate.name}`;
        })
        .catch((err: unknown) => {
          error.textContent = err instanceof Error ? err.message : 'It did not work';
        });
    });
    show(form, back);
    void find().catch(() => undefined);
  }

  async function openThread(name: string, label: string, back: HTMLElement): Promise<void> {
    const id = `tp-th-${Math.random().toString(36).slice(2)}`;
    const list = el('div', { role: 'log', 'aria-label': `Comments on ${label}` });
    const text = el('textarea', { id: `${id}-t`, rows: '3', required: '' });
    const cancel = el('button', { type: 'button', class: 'tp-btn' }, 'Close');
    cancel.addEventListener('click', close);
    const form = el(
      'form',
      {
        class: 'tp-dialog',
        role: 'dialog',
        'aria-modal': 'false',
        'aria-labelledby': `${id}-h`,
        'data-tandem-thread-panel': name,
      },
      el('h2', { id: `${id}-h` }, `Comments on “${label}”`),
      list,
      el('label', { for: `${id}-t` }, 'Comment'),
      text,
      el('div', { class: 'tp-row' }, cancel, el('button', { type: 'submit', class: 'tp-btn' }, 'Send')),
    );
    const add = (m: PageThreadMessage): void => {
      list.append(el('div', { class: 'tp-msg' }, el('b', {}, m.author.name), m.body));
    };
    const off = session.on('thread.message', ({ field, message }) => {
      if (field === name && form.isConnected) add(message);
    });
    undo.push(off);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = text.value.trim();
      if (body === '') return;
      void session.request({ type: 'thread.post', field: name, fieldLabel: label, text: body }).then(() => {
        text.value = '';
      });
    });
    show(form, back);
    const { messages } = await session.request({ type: 'thread.open', field: name });
    for (const m of messages) add(m);
  }

  /**
   * Ask an expert: pick a skill (with how many people would be rung now) and say what is needed;
   * then the ask's state as it changes, and once someone answers, the page's room to join.
   */
  function openAsk(back: HTMLElement): void {
    const id = `tp-ask-${Math.random().toString(36).slice(2)}`;
    const skill = el('select', { id: `${id}-s`, required: '' });
    const note = el('textarea', { id: `${id}-n`, rows: '3', maxlength: '500' });
    const error = el('p', { role: 'alert' });
    const send = el('button', { type: 'submit', class: 'tp-btn' }, 'Ask');
    const cancel = el('button', { type: 'button', class: 'tp-btn' }, 'Cancel');
    cancel.addEventListener('click', close);
    const form = el(
      'form',
      {
        class: 'tp-dialog',
        role: 'dialog',
        'aria-modal': 'false',
        'aria-labelledby': `${id}-h`,
        'data-tandem-ask': '',
      },
      el('h2', { id: `${id}-h` }, 'Ask an expert'),
      el('label', { for: `${id}-s` }, 'Skill'),
      skill,
      el('label', { for: `${id}-n` }, 'What do you need?'),
      note,
      error,
      el('div', { class: 'tp-row' }, cancel, send),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      send.disabled = true;
      void session
        .request({ type: 'ask', skill: skill.value, note: note.value })
        .then((ask) => showAsk(ask, form))
        .catch((err: unknown) => {
          send.disabled = false;
          error.textContent = err instanceof Error ? err.message : 'It did not work';
        });
    });
    show(form, back);
    void session
      .request({ type: 'skills' })
      .then(({ skills }) => {
        if (skills.length === 0) {
          error.textContent = 'Nobody in your organisation lists a skill yet.';
          send.disabled = true;
        }
        skill.replaceChildren(
          ...skills.map((s) =>
            el(
              'option',
              { value: s.skill, ...(s.available === 0 ? { disabled: '' } : {}) },
              `${s.skill} (${s.available === 0 ? 'nobody available now' : `${s.available} available`})`,
            ),
          ),
        );
        const first = skills.find((s) => s.available > 0);
        if (first !== undefined) skill.value = first.skill;
      })
      .catch(() => {
        error.textContent = 'The skills could not be loaded.';
      });
  }

  /** The ask as it stands, in place of the form: ringing, answered (with the room), or why not. */
  function showAsk(first: ExpertAsk, form: HTMLElement): void {
    const status = el('div', { role: 'status' });
    const actions = el('div', { class: 'tp-row' });
    form.replaceChildren(el('h2', {}, `Ask an expert: ${first.skill}`), status, actions);
    const draw = (ask: ExpertAsk): void => {
      const who = ask.rung.map((p) => p.name).join(', ');
      const button = (text: string, act: () => void) => {
        const b = el('button', { type: 'button', class: 'tp-btn' }, text);
        b.addEventListener('click', act);
        return b;
      };
      const link = (text: string, href: string) =>
        el('a', { class: 'tp-btn', href, target: '_blank', rel: 'noopener' }, text);
      switch (ask.status) {
        case 'ringing':
          status.textContent = `Ringing ${who}…`;
          actions.replaceChildren(
            button(
              'Stop asking',
              () => void session.request({ type: 'ask.cancel', askId: ask.id }).catch(() => undefined),
            ),
          );
          break;
        case 'answered':
          status.textContent = `${ask.answeredBy?.name ?? 'Someone'} answered and is joining this page’s room.`;
          actions.replaceChildren(
            button('Close', close),
            ...(ask.meeting.webJoinUrl === '' ? [] : [link('Join in the browser', ask.meeting.webJoinUrl)]),
            link('Join in the app', ask.meeting.joinUrl),
          );
          break;
        case 'missed':
          status.textContent = `Nobody answered. ${who} may be busy: try again later.`;
          actions.replaceChildren(button('Close', close));
          break;
        case 'declined':
          status.textContent = `${who} cannot help right now.`;
          actions.replaceChildren(button('Close', close));
          break;
        case 'cancelled':
          status.textContent = 'You stopped asking.';
          actions.replaceChildren(button('Close', close));
          break;
      }
      live.textContent = status.textContent;
    };
    draw(first);
    const off = session.on('ask', (ask) => {
      if (ask.id === first.id && form.isConnected) draw(ask);
    });
    undo.push(off);
    actions.querySelector('button')?.focus();
  }

  return () => {
    for (const u of undo) u();
  };
}
