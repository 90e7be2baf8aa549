import { useRoomContext } from '@livekit/components-react';
import type { ScreenSource } from '@tandem/shared';
import { useEffect, useRef, useState } from 'react';
import { useCallUi } from './callStore.ts';
import { shareSource, type ScreenCapture } from './screenShare.ts';
import { errorText } from '../ui/errorText.ts';
import { useT } from '../i18n/useT.ts';

type Load =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly sources: readonly ScreenSource[] }
  | { readonly status: 'error'; readonly message: string };

/** Electron's screen-share picker: screens and windows with thumbnails, in a modal dialog. */
export function ScreenPicker({
  capture,
  onError,
}: {
  readonly capture: Extract<ScreenCapture, { kind: 'picker' }>;
  readonly onError: (message: string) => void;
}) {
  const t = useT();
  const room = useRoomContext();
  const close = useCallUi((s) => s.setScreenPickerOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    dialog.current?.showModal();
    let live = true;
    capture.list().then(
      (sources) => live && setLoad({ status: 'ready', sources }),
      (e: unknown) => live && setLoad({ status: 'error', message: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [capture]);

  const choose = (source: ScreenSource) => {
    close(false);
    shareSource(room.localParticipant, source).catch((e: unknown) =>
      onError(t('call.share.failed', { reason: errorText(e, t) })),
    );
  };

  return (
    <dialog ref={dialog} className="picker" aria-labelledby="picker-title" onClose={() => close(false)}>
      <header className="picker-header">
        <h2 id="picker-title">{t('call.picker.title')}</h2>
        <button type="button" className="button" onClick={() => close(false)}>
          {t('call.picker.cancel')}
        </button>
      </header>
      {load.status === 'loading' ? <p role="status">{t('call.picker.loading')}</p> : null}
      {load.status === 'error' ? <p role="alert">{t('call.picker.failed', { reason: load.message })}</p> : null}
      {load.status === 'ready'
        ? (['screen', 'window'] as const).map((kind) => {
            const sources = load.sources.filter((s) => s.kind === kind);
            return sources.length === 0 ? null : (
              <section key={kind} aria-label={t(kind === 'screen' ? 'call.picker.screens' : 'call.picker.windows')}>
                <h3>{t(kind === 'screen' ? 'call.picker.screens' : 'call.picker.windows')}</h3>
                <ul className="picker-grid">
                  {sources.map((s) => (
                    <li key={s.id}>
                      <button type="button" className="picker-source" onClick={() => choose(s)}>
                        <img src={s.thumbnailDataUrl} alt="" />
                        <span>{s.name}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })
        : null}
    </dialog>
  );
}
