import { useIsMuted, useIsSpeaking, useParticipants } from '@livekit/components-react';
import { Track, type Participant } from 'livekit-client';
import { useChatsController } from '../chat/chatsController.ts';
import { useT } from '../i18n/useT.ts';
import { PresenceDot } from '../presence/PresenceDot.tsx';
import { initialsOf } from '../ui/format.ts';
import { useAppStore } from '../store/appStore.ts';
import { Icon } from '../ui/Icon.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useCallUi } from './callStore.ts';
import { AudiencePanel } from '../webinar/AudiencePanel.tsx';
import { useIsAudience } from '../webinar/WebinarContext.tsx';

/**
 * A direct chat with someone in the call (their identity is their user id), opened in the call's
 * chat panel so the call stays on screen. Not for guests (the server refuses them).
 */
function MessageButton({ userId, name }: { readonly userId: string; readonly name: string }) {
  const t = useT();
  const controller = useChatsController();
  const show = useAppStore((s) => s.showInCallChat);
  const openPanel = useCallUi((s) => s.openPanel);
  const [message, state] = useAsyncAction(async () => {
    show(await controller.startDirect(userId));
    openPanel('chat');
  });
  return (
    <>
      <button
        type="button"
        className="button"
        aria-label={t('call.message.named', { name })}
        disabled={state.busy}
        onClick={() => void message()}
      >
        {t('call.message')}
      </button>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </>
  );
}

function Row({ participant, canMessage }: { readonly participant: Participant; readonly canMessage: boolean }) {
  const t = useT();
  const speaking = useIsSpeaking(participant);
  const muted = useIsMuted({ participant, source: Track.Source.Microphone });
  const name = participant.name || participant.identity;
  const member = participant.attributes.orgRole !== undefined && participant.attributes.orgRole !== 'guest';
  return (
    <li className="person" data-speaking={speaking}>
      <span className="avatar" aria-hidden="true">
        {initialsOf(name)}
      </span>
      <span className="person-name">
        {participant.isLocal ? t('call.you', { name }) : name}
        {/* Members' presence (do not disturb, a status message); guests have none to show. */}
        {member ? <PresenceDot userId={participant.identity} /> : null}
      </span>
      {muted ? (
        <span role="img" aria-label={t('call.micOff')}>
          <Icon name="micOff" size={16} />
        </span>
      ) : null}
      {canMessage && member && !participant.isLocal ? (
        <MessageButton userId={participant.identity} name={name} />
      ) : null}
    </li>
  );
}

export function ParticipantsPanel() {
  const t = useT();
  const isAudience = useIsAudience();
  // In a webinar: who is on stage; its hosts see the audience below.
  const participants = useParticipants().filter((p) => !isAudience(p));
  const canMessage = useAppStore((s) => s.session.status === 'signedIn' && s.session.info.user.role !== 'guest');
  return (
    <>
      <h2 className="panel-title">{t('call.peopleCount', { count: participants.length })}</h2>
      <ul className="people">
        {participants.map((p) => (
          <Row key={p.identity} participant={p} canMessage={canMessage} />
        ))}
      </ul>
      <AudiencePanel />
    </>
  );
}
