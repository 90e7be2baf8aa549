import { useCallback, useState } from 'react';
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
      <h2 id="calendar-feed-title">Calendar subscription</h2>
      <p className="hint">
        See your Tandem meetings in Outlook, Google Calendar or Apple Calendar: make a private link and subscribe to it
        there (“From URL” or “Subscribe to calendar”). Anyone with the link sees your meetings’ titles and times.
      </p>
      {feed.status === 'made' ? (
        <CopyField
          label="Your calendar link"
          what="the calendar link"
          value={feed.url}
          hint="Shown this once: making a new link replaces it."
        />
      ) : null}
      {feed.status === 'off' ? (
        <p role="status">Your calendar link is off: calendars subscribed to it no longer update.</p>
      ) : null}
      <div className="row">
        <button type="button" className="button" disabled={busy} onClick={() => void make()}>
          {making.busy ? 'Making the link…' : feed.status === 'made' ? 'Make a new link' : 'Make my calendar link'}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void turnOff()}>
          {turningOff.busy ? 'Turning it off…' : 'Turn my link off'}
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
