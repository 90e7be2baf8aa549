import type { ChosenStatus, PresenceStatus } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { trayModel, trayStatusRequest, type TrayItem } from './tray.ts';
import { mainText } from '../i18n/mainText.ts';

const checked = (items: readonly TrayItem[]) =>
  items.flatMap((i) => (i.kind === 'action' && i.checked === true ? [i.action] : []));
const actions = (items: readonly TrayItem[]) => items.flatMap((i) => (i.kind === 'action' ? [i.action] : []));
/** Signed in, with the status others see and the one the person chose. */
const signedIn = (status: PresenceStatus | null, unread = 0, chosen: ChosenStatus = 'available') => ({
  signedIn: true,
  presence: status === null ? null : { status, chosen },
  unread,
});

describe('the tray', () => {
  it('offers only Open and Quit while signed out', () => {
    const model = trayModel({ signedIn: false, presence: null, unread: 0 });
    expect(actions(model.items)).toEqual(['open', 'quit']);
    expect(model).toMatchObject({
      icon: { status: 'signed-out', unread: false },
      tooltip: 'Tandem: signed out',
      unread: 0,
    });
  });

  it('offers Available, Busy, Do not disturb and Away, the one chosen ticked whatever a call or being idle shows', () => {
    const ticked = (status: PresenceStatus | null, chosen: ChosenStatus) =>
      checked(trayModel(signedIn(status, 0, chosen)).items);
    expect(ticked('online', 'available')).toEqual(['available']);
    expect(ticked('busy', 'busy')).toEqual(['busy']);
    expect(ticked('dnd', 'dnd')).toEqual(['dnd']);
    expect(ticked('away', 'away')).toEqual(['away']);
    // What shows is not always what was chosen: a call over busy, idle under nothing chosen.
    expect(ticked('in_meeting', 'busy')).toEqual(['busy']);
    expect(ticked('in_meeting', 'available')).toEqual(['available']);
    expect(ticked('away', 'available')).toEqual(['available']);
    expect(ticked(null, 'available')).toEqual(['available']);
    expect(actions(trayModel(signedIn('online')).items)).toEqual([
      'open',
      'joinByCode',
      'available',
      'busy',
      'dnd',
      'away',
      'quit',
    ]);
  });

  it('shows the status and the unread state together on the icon, and says both in the tooltip', () => {
    expect(trayModel(signedIn('dnd', 3, 'dnd'))).toMatchObject({
      icon: { status: 'dnd', unread: true },
      tooltip: 'Tandem: Do not disturb, 3 unread',
      unread: 3,
    });
    expect(trayModel(signedIn('dnd', 0, 'dnd'))).toMatchObject({
      icon: { status: 'dnd', unread: false },
      tooltip: 'Tandem: Do not disturb',
    });
    const icon = (status: PresenceStatus | null, unread: number) => trayModel(signedIn(status, unread)).icon;
    expect(icon('online', 2)).toEqual({ status: 'available', unread: true });
    expect(icon('away', 0)).toEqual({ status: 'away', unread: false });
    expect(icon('in_meeting', 1)).toEqual({ status: 'busy', unread: true });
    expect(icon('busy', 0)).toEqual({ status: 'busy', unread: false });
    expect(trayModel(signedIn('busy', 1, 'busy')).tooltip).toBe('Tandem: Busy, 1 unread');
    expect(icon('presenting', 0)).toEqual({ status: 'dnd', unread: false });
    expect(icon('offline', 0)).toEqual({ status: 'offline', unread: false });
    expect(icon(null, 0)).toEqual({ status: 'available', unread: false });
    expect(trayModel(signedIn(null, 1)).tooltip).toBe('Tandem: Available, 1 unread');
  });

  it('speaks the app’s language', () => {
    const de = trayModel(signedIn('in_meeting', 2), mainText('de'));
    expect(de.tooltip).toBe('Tandem: Im Anruf, 2 ungelesen');
    expect(de.items.flatMap((i) => (i.kind === 'action' ? [i.label] : []))).toEqual([
      'Tandem öffnen',
      'Mit Code beitreten…',
      'Verfügbar',
      'Beschäftigt',
      'Nicht stören',
      'Abwesend',
      'Beenden',
    ]);
    expect(trayModel(signedIn('dnd', 0, 'dnd'), mainText('ja')).tooltip).toBe('Tandem: 応答不可');
    expect(trayModel(signedIn('busy', 0, 'busy'), mainText('ja')).tooltip).toBe('Tandem: 取り込み中');
  });

  it('turns a status item into the status chosen, leaving active or idle to the idle watch, and Open and Quit to the shell', () => {
    expect(trayStatusRequest('available')).toEqual({ chosen: 'available' });
    expect(trayStatusRequest('busy')).toEqual({ chosen: 'busy' });
    expect(trayStatusRequest('dnd')).toEqual({ chosen: 'dnd' });
    expect(trayStatusRequest('away')).toEqual({ chosen: 'away' });
    expect(trayStatusRequest('open')).toBeNull();
    expect(trayStatusRequest('joinByCode')).toBeNull();
    expect(trayStatusRequest('quit')).toBeNull();
  });
});
