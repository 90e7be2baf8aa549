import { useParticipants, useRoomContext } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { useEffect, useRef } from 'react';
import { useCallUi } from '../call/callStore.ts';
import { tileKey } from '../call/tileKey.ts';
import { PhonePanel } from '../phone/PhonePanel.tsx';
import { StreamPanel } from '../streaming/StreamPanel.tsx';
import { useWebinar } from '../webinar/WebinarContext.tsx';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';
import { isHostParticipant, onTopic, publishJson } from './roomData.ts';
import { SPOTLIGHT_TOPIC, SpotlightMessageSchema, type SpotlightMessage } from './spotlight.ts';
import { useT } from '../i18n/useT.ts';

/** Pins `tile` (null: unpins) through the call's toggle, whatever is pinned now. */
function pinTo(current: string | undefined, tile: string | null, togglePin: (key: string) => void): void {
  if ((tile ?? undefined) === current) return;
  togglePin(tile ?? current ?? '');
}

/** Follows a host's spotlight: pins (or releases) the tile they name. */
export function useSpotlight(): void {
  const room = useRoomContext();
  const pinned = useCallUi((s) => s.pinned);
  const togglePin = useCallUi((s) => s.togglePin);
  const current = useRef(pinned);
  current.current = pinned;
  useEffect(
    () =>
      onTopic(room, SPOTLIGHT_TOPIC, (json, sender) => {
        const parsed = SpotlightMessageSchema.safeParse(json);
        if (parsed.success && isHostParticipant(sender)) pinTo(current.current, parsed.data.tile, togglePin);
      }),
    [room, togglePin],
  );
}

/** Mounted once per call: follows hosts' spotlights. */
export function SpotlightFollower(): null {
  useSpotlight();
  return null;
}

/**
 * Raised hands for everyone; for hosts also the lobby (admit, deny, admit all), controls over
 * each participant (mute, remove, spotlight), the phone (call a phone in, the audio bridge) and
 * the meeting (mute all, lock, end for everyone).
 */
export function MeetingPanel() {
  const t = useT();
  const room = useRoomContext();
  const { isHost, userId } = useSelf();
  const { seat } = useWebinar();
  const hands = useMeeting((s) => s.hands);
  const meetingId = useMeeting((s) => s.meetingId);
  const waiting = useMeeting((s) => s.waiting);
  const actions = useMeetingActions();
  const participants = useParticipants();
  const pinned = useCallUi((s) => s.pinned);
  const togglePin = useCallUi((s) => s.togglePin);

  const spotlight = (tile: string | null) => {
    const message: SpotlightMessage = { t: 'spotlight', tile };
    void publishJson(room, SPOTLIGHT_TOPIC, message);
    pinTo(pinned, tile, togglePin);
  };

  return (
    <section className="collab-panel" aria-labelledby="meeting-panel-title">
      <h2 id="meeting-panel-title">{t('collab.meeting.title')}</h2>
      <h3>{t('collab.hands.count', { count: hands.length })}</h3>
      {hands.length === 0 ? (
        <p className="collab-empty">{t('collab.hands.none')}</p>
      ) : (
        <ol className="collab-list" aria-label={t('collab.hands')}>
          {hands.map((hand) => (
            <li key={hand.userId} className="collab-row">
              <span>{hand.name}</span>
              {isHost || hand.userId === userId ? (
                <button type="button" className="link-button" onClick={() => void actions.lowerHand(hand.userId)}>
                  {t('collab.hands.lower', { mine: hand.userId === userId, name: hand.name })}
                </button>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {isHost && hands.length > 1 ? (
        <button type="button" className="button" onClick={() => void actions.lowerAllHands()}>
          {t('collab.hands.lowerAll')}
        </button>
      ) : null}

      {isHost ? (
        <>
          <h3>{t('collab.lobby.count', { count: waiting.length })}</h3>
          {waiting.length === 0 ? (
            <p className="collab-empty">{t('collab.lobby.none')}</p>
          ) : (
            <>
              <ul className="collab-list" aria-label={t('collab.lobby')}>
                {waiting.map((entry) => (
                  <li key={entry.id} className="collab-row">
                    <span>{entry.name}</span>
                    {entry.external ? <span className="guest-tag">{t('collab.lobby.external')}</span> : null}
                    <button type="button" className="button" onClick={() => void actions.admit(entry.id)}>
                      {t('collab.lobby.admit', { name: entry.name })}
                    </button>
                    <button type="button" className="link-button" onClick={() => void actions.deny(entry.id)}>
                      {t('collab.lobby.deny', { name: entry.name })}
                    </button>
                  </li>
                ))}
              </ul>
              <button type="button" className="button" onClick={() => void actions.admitAll()}>
                {t('collab.lobby.admitAll')}
              </button>
            </>
          )}

          <h3>{t('collab.inCall.count', { count: participants.length })}</h3>
          <ul className="collab-list" aria-label={t('collab.hostControls')}>
            {participants.map((p) => {
              const name = p.name || p.identity;
              const pid = p.attributes['userId'];
              const tile = tileKey(p.identity, Track.Source.Camera);
              return (
                <li key={p.identity} className="collab-row">
                  <span>{p.isLocal ? t('call.you', { name }) : name}</span>
                  <button
                    type="button"
                    className="link-button"
                    aria-pressed={pinned === tile}
                    onClick={() => spotlight(pinned === tile ? null : tile)}
                  >
                    {t(pinned === tile ? 'collab.spotlight.release' : 'collab.spotlight', { name })}
                  </button>
                  {!p.isLocal && pid !== undefined ? (
                    <>
                      <button type="button" className="link-button" onClick={() => void actions.mute(pid)}>
                        {t('collab.mute', { name })}
                      </button>
                      <button type="button" className="link-button" onClick={() => void actions.remove(pid)}>
                        {t('chat.remove.named', { name })}
                      </button>
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <PhonePanel meetingId={meetingId} />
          <div className="collab-actions">
            <button type="button" className="button" onClick={() => void actions.muteAll()}>
              {t('collab.muteAll')}
            </button>
            <button type="button" className="button" onClick={() => void actions.lock(true)}>
              {t('collab.lock')}
            </button>
            <button type="button" className="button" onClick={() => void actions.lock(false)}>
              {t('collab.unlock')}
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                if (window.confirm(t('collab.end.confirm'))) void actions.end();
              }}
            >
              {t('collab.end')}
            </button>
          </div>
        </>
      ) : null}
      {/* Hosts, and in a webinar its panelists, run the live stream (as the server allows). */}
      {isHost || seat === 'panelist' ? <StreamPanel meetingId={meetingId} /> : null}
    </section>
  );
}
