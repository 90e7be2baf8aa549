import type { PresenceStatus } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { trayModel, trayStatusRequest, type TrayItem } from './tray.ts';
import { mainText } from '../i18n/mainText.ts';

const checked = (items: readonly TrayItem[]) =>
  items.flatMap((i) => (i.kind === 'action' && i.checked === true ? [i.action] : []));
const actions = (items: readonly TrayItem[]) => items.flatMap((i) => (i.kind === 'action' ? [i.action] : []));

describe('the tray', () => {
  it('offers only Open and Quit while signed out', () => {
    const model = trayModel({ signedIn: false, status: null, unread: 0 });
    expect(actions(model.items)).toEqual(['open', 'quit']);
    expect(model).toMatchObject({
      icon: { status: 'signed-out', unread: false },
      tooltip: 'Tandem: signed out',
      unread: 0,
    });
  });

  it('checks the status the server shows, in a meeting counting as available', () => {
    expect(checked(trayModel({ signedIn: true, status: 'online', unread: 0 }).items)).toEqual(['available']);
    expect(checked(trayModel({ signedIn: true, status: 'in_meeting', unread: 0 }).items)).toEqual(['available']);
    expect(checked(trayModel({ signedIn: true, status: 'away', unread: 0 }).items)).toEqual(['away']);
    expect(checked(trayModel({ signedIn: true, status: 'dnd', unread: 0 }).items)).toEqual(['dnd']);
    expect(actions(trayModel({ signedIn: true, status: 'online', unread: 0 }).items)).toEqual([
      'open',
      'joinByCode',
      'available',
      'away',
      'dnd',
      'quit',
    ]);
  });

  it('shows the status and the unread state together on the icon, and says both in the tooltip', () => {
    expect(trayModel({ signedIn: true, status: 'dnd', unread: 3 })).toMatchObject({
      icon: { status: 'dnd', unread: true },
      tooltip: 'Tandem: Do not disturb, 3 unread',
      unread: 3,
    });
    expect(trayModel({ signedIn: true, status: 'dnd', unread: 0 })).toMatchObject({
      icon: { status: 'dnd', unread: false },
      tooltip: 'Tandem: Do not disturb',
    });
    const icon = (status: PresenceStatus | null, unread: number) => trayModel({ signedIn: true, status, unread }).icon;
    expect(icon('online', 2)).toEqual({ status: 'available', unread: true });
    expect(icon('away', 0)).toEqual({ status: 'away', unread: false });
    expect(icon('in_meeting', 1)).toEqual({ status: 'busy', unread: true });
    expect(icon('presenting', 0)).toEqual({ status: 'dnd', unread: false });
    expect(icon('offline', 0)).toEqual({ status: 'offline', unread: false });
    expect(icon(null, 0)).toEqual({ status: 'available', unread: false });
    expect(trayModel({ signedIn: true, status: null, unread: 1 }).tooltip).toBe('Tandem: Available, 1 unread');
  });

  it('speaks the app’s language', () => {
    const de = trayModel({ signedIn: true, status: 'in_meeting', unread: 2 }, mainText('de'));
    expect(de.tooltip).toBe('Tandem: Im Anruf, 2 ungelesen');
    expect(de.items.flatMap((i) => (i.kind === 'action' ? [i.label] : []))).toEqual([
      'Tandem öffnen',
      'Mit Code beitreten…',
      'Verfügbar',
      'Abwesend',
      'Nicht stören',
      'Beenden',
    ]);
    expect(trayModel({ signedIn: true, status: 'dnd', unread: 0 }, mainText('ja')).tooltip).toBe('Tandem: 応答不可');
  });

  it('turns a status item into what the server is asked, and leaves Open and Quit to the shell', () => {
    expect(trayStatusRequest('available')).toEqual({ status: 'online', dnd: false });
    expect(trayStatusRequest('away')).toEqual({ status: 'away', dnd: false });
    expect(trayStatusRequest('dnd')).toEqual({ dnd: true });
    expect(trayStatusRequest('open')).toBeNull();
    expect(trayStatusRequest('joinByCode')).toBeNull();
    expect(trayStatusRequest('quit')).toBeNull();
  });
});
