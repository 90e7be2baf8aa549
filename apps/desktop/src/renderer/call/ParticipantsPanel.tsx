import { useIsMuted, useIsSpeaking, useParticipants } from '@livekit/components-react';
import { Track, type Participant } from 'livekit-client';
import { initialsOf } from '../ui/format.ts';
import { Icon } from '../ui/Icon.tsx';

function Row({ participant }: { readonly participant: Participant }) {
  const speaking = useIsSpeaking(participant);
  const muted = useIsMuted({ participant, source: Track.Source.Microphone });
  const name = participant.name || participant.identity;
  return (
    <li className="person" data-speaking={speaking}>
      <span className="avatar" aria-hidden="true">
        {initialsOf(name)}
      </span>
      <span className="person-name">
        {name}
        {participant.isLocal ? ' (you)' : ''}
      </span>
      {muted ? (
        <span role="img" aria-label="microphone off">
          <Icon name="micOff" size={16} />
        </span>
      ) : null}
    </li>
  );
}

export function ParticipantsPanel() {
  const participants = useParticipants();
  return (
    <>
      <h2 className="panel-title">People ({participants.length})</h2>
      <ul className="people">
        {participants.map((p) => (
          <Row key={p.identity} participant={p} />
        ))}
      </ul>
    </>
  );
}
