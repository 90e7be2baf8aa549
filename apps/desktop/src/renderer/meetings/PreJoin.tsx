import { useId, useState, type FormEvent } from 'react';
import { useT } from '../i18n/useT.ts';
import { EffectsPicker } from '../media/EffectsPicker.tsx';
import { PreviewDevices, SelfPreview } from '../media/SelfPreview.tsx';
import { RecordingNotice } from '../recording/RecordingNotice.tsx';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';

/**
 * Before joining a meeting: one's name, camera and microphone (the preview the call takes over),
 * devices and effects.
 */
export function PreJoin({ codeOrLink, title }: { readonly codeOrLink: string; readonly title?: string }) {
  const controller = useController();
  const t = useT();
  const settings = useAppStore((s) => s.settings);
  const sessionName = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.name : ''));
  const navigate = useAppStore((s) => s.navigate);
  const [displayName, setDisplayName] = useState(settings.displayName ?? sessionName);
  const [join, joining] = useAsyncAction(controller.join);
  const nameId = useId();
  const quality = settings.video2160p ? 'uhd' : 'hd';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void join(codeOrLink, displayName);
  };

  return (
    <main className="prejoin" aria-labelledby="prejoin-title">
      <h1 id="prejoin-title">{title ?? t('meetings.prejoin.title', { code: codeOrLink })}</h1>
      <RecordingNotice lookup={{ codeOrLink }} />
      <div className="prejoin-columns">
        <div className="preview">
          <SelfPreview />
          <section className="card prejoin-effects" aria-labelledby="prejoin-effects-title">
            <h2 id="prejoin-effects-title">{t('call.effects')}</h2>
            <EffectsPicker />
          </section>
        </div>
        <form className="card prejoin-form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={nameId}>{t('meetings.prejoin.name')}</label>
            <input
              id={nameId}
              value={displayName}
              maxLength={64}
              required
              aria-describedby={`${nameId}-hint`}
              onChange={(e) => setDisplayName(e.target.value)}
            />
            <p id={`${nameId}-hint`} className="hint">
              {t('meetings.prejoin.nameHint')}
            </p>
          </div>
          <PreviewDevices />
          <p className="hint">{t('meetings.prejoin.quality', { quality })}</p>
          {joining.error === undefined ? null : (
            <p className="error" role="alert">
              {t('meetings.prejoin.failed', { reason: joining.error })}
            </p>
          )}
          <div className="row">
            <button type="button" className="button" onClick={() => navigate({ name: 'home' })}>
              {t('ui.cancel')}
            </button>
            <button
              type="submit"
              className="button button-primary"
              disabled={joining.busy || displayName.trim() === ''}
            >
              {joining.busy ? t('meetings.prejoin.joining') : t('meetings.prejoin.join')}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
