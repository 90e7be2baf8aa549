import type { ConversationSummary, IpcEvent, Presence, ShippedLocale } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import type { BadgeSurface, TaskbarOverlaySurface, TraySurface } from '../platform/types.ts';
import { badgePng } from './badgeImage.ts';
import { trayModel } from './tray.ts';
import { mainText } from '../i18n/mainText.ts';

/**
 * What the dock or taskbar counts, as Teams and Slack count: every unread message in a direct or
 * group chat, and elsewhere (channels, meetings' chats) only the messages that mention the person.
 * A conversation left or archived counts nothing.
 */
export function badgeCount(
  conversations: readonly Pick<ConversationSummary, 'kind' | 'unread' | 'mentions' | 'left' | 'archivedAt'>[],
): number {
  let count = 0;
  for (const c of conversations) {
    if (c.left || c.archivedAt !== null) continue;
    count += c.kind === 'direct' || c.kind === 'group' ? c.unread : c.mentions;
  }
  return count;
}

/** The events after which the count may have changed: messages in, reads, conversations gone, sign-out. */
const RECOUNT_ON: ReadonlySet<IpcEvent> = new Set<IpcEvent>([
  'chat:messages',
  'conversations:changed',
  'conversations:removed',
  'auth:ended',
]);
/**
 * Presence changes of anyone in the organisation (a thousand people come and go): the tray shows
 * only one's own status, so they redraw it from the count already known, without reading the cache.
 */
const REDRAW_ON: IpcEvent = 'presence:changed';
/** Counts once for a burst of events (a page of history, a resume). */
const SETTLE_MS = 100;

export type AppIcon = {
  onEvent(event: IpcEvent): void;
  /** Draws the tray again (its language changed). */
  redraw(): void;
  stop(): void;
};

/**
 * Keeps the OS's badge on the cache's count, and the tray's icon and menu on the count and the
 * person's status; tells each only what changed.
 */
export function createAppIcon(deps: {
  readonly badge: BadgeSurface | null;
  /** Windows' taskbar count: the badge's image and its words in the app's language. */
  readonly taskbarOverlay: TaskbarOverlaySurface | null;
  readonly tray: TraySurface | null;
  readonly db: DbClient;
  /** The signed-in user (their own messages are never unread); null when signed out, which counts 0. */
  readonly selfId: () => string | null;
  /** The person's own presence as last heard; null before it is known. */
  readonly ownPresence: () => Pick<Presence, 'status' | 'chosen'> | null;
  /** The app's language as the settings (or the OS) choose it: the tray menu's words. */
  readonly locale: () => ShippedLocale;
  readonly onError: (error: unknown) => void;
}): AppIcon {
  let shownCount = 0;
  let shownTray = '';
  /** The overlay's words as last set ('' for none): a new count or a new language draws it again. */
  let shownOverlay = '';
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  /** Whether an event since the last update may have changed the count (else only the status). */
  let countStale = true;

  async function update(): Promise<void> {
    const selfId = deps.selfId();
    if (countStale || selfId === null) {
      countStale = false;
      const count = selfId === null ? 0 : badgeCount(await deps.db.read('allConversations', { selfId }));
      if (count !== shownCount) {
        shownCount = count;
        deps.badge?.set(count);
      }
    }
    const count = shownCount;
    const text = mainText(deps.locale());
    const description = count > 0 ? text.t('badge.description', { count }) : '';
    if (deps.taskbarOverlay !== null && description !== shownOverlay) {
      shownOverlay = description;
      deps.taskbarOverlay.set(count > 0 ? { png: badgePng(count), description } : null);
    }
    if (deps.tray === null) return;
    const model = trayModel({ signedIn: selfId !== null, presence: deps.ownPresence(), unread: count }, text);
    const key = JSON.stringify(model);
    if (key === shownTray) return;
    shownTray = key;
    deps.tray.set(model);
  }

  function schedule(): void {
    if (timer !== null || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      update().catch((e: unknown) => {
        countStale = true;
        // An update still reading when the app closed fails with the cache: nothing to report.
        if (!stopped) deps.onError(e);
      });
    }, SETTLE_MS);
  }

  return {
    onEvent(event) {
      const recount = RECOUNT_ON.has(event);
      if (!recount && event !== REDRAW_ON) return;
      if (recount) countStale = true;
      schedule();
    },
    redraw: schedule,
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
