import { parseMeetingLink, type LinkParseResult } from '@tandem/shared';
import { useId, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { AttachToMeeting } from './AttachToMeeting.tsx';
import { LinkedMeetingDetails } from './LinkedMeetingDetails.tsx';
import { providerName } from './names.ts';

function Recognised({
  result,
  text,
  errorId,
  onJoinTandem,
}: {
  readonly result: LinkParseResult | null;
  readonly text: string;
  readonly errorId: string;
  readonly onJoinTandem: (code: string) => void;
}) {
  const t = useT();
  if (result === null) return null;
  if (!result.ok) {
    return (
      <p id={errorId} className="error" role="alert">
        {result.message}
      </p>
    );
  }
  const meeting = result.meeting;
  if (meeting.provider === 'tandem') {
    return (
      <div className="row">
        <p role="status">{t('linked.paste.tandem')}</p>
        <button type="button" className="button button-primary" onClick={() => onJoinTandem(meeting.code)}>
          {t('linked.join')}
        </button>
      </div>
    );
  }
  return (
    <div>
      <p role="status" className="linked-recognised">
        {t('linked.paste.recognised', { app: providerName(meeting.provider) })}
      </p>
      <LinkedMeetingDetails meeting={meeting} />
      <AttachToMeeting text={text} />
    </div>
  );
}

/**
 * Paste a Teams, Zoom or Meet link, or a whole invitation: it is recognised as it is pasted
 * (`parseMeetingLink` is pure, so it runs here) and joined in the provider's app.
 */
export function JoinLinked() {
  const navigate = useAppStore((s) => s.navigate);
  const [text, setText] = useState('');
  const t = useT();
  const id = useId();
  const result = text.trim() === '' ? null : parseMeetingLink(text);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('linked.paste.title')}</h2>
      <div className="field">
        <label htmlFor={id}>{t('linked.paste.label')}</label>
        <textarea
          id={id}
          className="linked-paste"
          rows={3}
          value={text}
          placeholder={t('linked.paste.placeholder')}
          aria-invalid={result !== null && !result.ok}
          aria-describedby={result !== null && !result.ok ? `${id}-error` : undefined}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <Recognised
        result={result}
        text={text}
        errorId={`${id}-error`}
        onJoinTandem={(code) => navigate({ name: 'prejoin', codeOrLink: code })}
      />
    </section>
  );
}
