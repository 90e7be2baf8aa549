import { ACTIVE_RECORDING_STATUSES, joinCodeFrom, type Meeting } from '@tandem/shared';
import { useEffect, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import './recording.css';
import { useT } from '../i18n/useT.ts';

/** Which meeting: by the code or link about to be joined (pre-join), or as the knock's answer gave it (the lobby). */
export type MeetingLookup = { readonly codeOrLink: string } | { readonly meeting: Meeting };

/** Whether the meeting is being recorded now, followed live while the screen is shown. */
function useRecorded(lookup: MeetingLookup): boolean {
  const client = useClient();
  const known = 'meeting' in lookup ? lookup.meeting : undefined;
  const [recorded, setRecorded] = useState(known !== undefined && known.recording !== null);
  const key = 'meeting' in lookup ? `id:${lookup.meeting.id}` : `code:${lookup.codeOrLink}`;
  useEffect(() => {
    let live = true;
    let meetingId = known?.id ?? null;
    // Another meeting in the same place (the state outlives a change of lookup): its own answer.
    setRecorded(known !== undefined && known.recording !== null);
    const code = 'codeOrLink' in lookup ? joinCodeFrom(lookup.codeOrLink)?.toLowerCase() : undefined;
    // A meeting that cannot be looked up has nothing to say here: joining it says why.
    if (meetingId === null && code !== undefined)
      client.meetingsResolve({ params: { code }, body: {} }).then(
        (meeting) => {
          if (!live) return;
          meetingId = meeting.id;
          setRecorded(meeting.recording !== null);
        },
        () => undefined,
      );
    const off = client.onMeetingLive((message) => {
      if (message.type === 'meeting.changed' && message.meeting.id === meetingId)
        setRecorded(message.meeting.recording !== null);
      if (message.type === 'recording.changed' && message.recording.meetingId === meetingId)
        setRecorded((ACTIVE_RECORDING_STATUSES as readonly string[]).includes(message.recording.status));
    });
    return () => {
      live = false;
      off();
    };
    // `key` stands for the lookup's value.
  }, [client, key]);
  return recorded;
}

/**
 * Consent before entering: on the pre-join screen and in the lobby, people are told that the
 * meeting is being recorded, and told when a recording starts while they wait. A live region, so
 * it is heard when it appears.
 */
export function RecordingNotice({ lookup }: { readonly lookup: MeetingLookup }) {
  const t = useT();
  const recorded = useRecorded(lookup);
  return (
    <div role="status" aria-live="polite">
      {recorded ? (
        <p className="recording-notice">
          <span className="recording-dot" aria-hidden="true" />
          <span>{t('recording.notice')}</span>
        </p>
      ) : null}
    </div>
  );
}
