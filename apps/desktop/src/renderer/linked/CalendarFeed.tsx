import { useCallback, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { CopyField } from '../ui/CopyField.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLinkedController } from './LinkedContext.ts';

type Feed =
  { readonly status: 'unknown' } | { readonly status: 'made'; readonly url: string } | { readonly status: 'off' };

/**
 * Settings card: a private ICS link to one's meetings for Outlook, Google Calendar or Apple
 * Calendar. The server keeps only a hash of it, so a link is shown when it is made; making a new
 * one stops the old one, and it can be turned off.
 */
export function CalendarFeed() {
  const controller = useLinkedController();
  const t = useT();
  const serverUrl = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.serverUrl : ''));
  const [feed, setFeed] = useState<Feed>({ status: 'unknown' });
  const [make, making] = useAsyncAction(
    useCallback(async () => {
      const path = await controller.createFeed();
      setFeed({ status: 'made', url: new URL(path, serverUrl).toString() });
    }, [controller, serverUrl]),
  );
  const [turnOff, turningOff] = useAsyncAction(
    useCallback(async () => {
      await controller.revokeFeed();
      setFeed({ status: 'off' });
    }, [controller]),
  );
  const busy = making.busy || turningOff.busy;
  const error = making.error ?? turningOff.error;
  return (
    <section className="card" aria-labelledby="calendar-feed-title">
      <h2 id="calendar-feed-title">{t('linked.feed.title')}</h2>
      <p className="hint">{t('linked.feed.hint')}</p>
      {feed.status === 'made' ? (
        <CopyField
          label={t('linked.feed.link')}
          what={t('linked.feed.what')}
          value={feed.url}
          hint={t('linked.feed.shownOnce')}
        />
      ) : null}
      {feed.status === 'off' ? <p role="status">{t('linked.feed.off')}</p> : null}
      <div className="row">
        <button type="button" className="button" disabled={busy} onClick={() => void make()}>
          {making.busy
            ? t('linked.feed.making')
            : feed.status === 'made'
              ? t('linked.feed.makeNew')
              : t('linked.feed.make')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void turnOff()}>
          {turningOff.busy ? t('linked.feed.turningOff') : t('linked.feed.turnOff')}
        </button>
      </div>
      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
