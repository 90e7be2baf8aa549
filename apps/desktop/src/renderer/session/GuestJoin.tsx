import { joinDeepLink, PRODUCT } from '@tandem/shared';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useT } from '../i18n/useT.ts';
import { PreviewWhenIdle } from '../media/lazyPreview.tsx';
import { useAppStore, type Invite } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { prepareKnock } from './prepareKnock.ts';

/**
 * Someone opened a meeting's link without being signed in: they join as a guest with a name
 * (and, if they like, an e-mail address) and wait for a host, or sign in if they have an account.
 * Opened from the join link's own page (`landing`), it is that page: the meeting's title, whether
 * it is recorded, Open in the app, and the name form with one's own camera and microphone, or why
 * people from outside cannot knock.
 */
export function GuestJoin({
  invite,
  onKnock,
}: {
  readonly invite: Invite;
  /** The guest asked to join (what comes next may load meanwhile). */
  readonly onKnock: () => void;
}) {
  const { code, landing } = invite;
  const guestsMayKnock = landing?.externalGuests !== false;
  const t = useT();
  const controller = useController();
  const setInvite = useAppStore((s) => s.setInvite);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [join, state] = useAsyncAction(controller.joinAsGuest);
  const ids = { name: useId(), email: useId(), emailHint: useId(), error: useId() };
  // While the name is typed, what the knock's answers are checked against gets built (B7).
  useEffect(() => (guestsMayKnock ? prepareKnock() : undefined), [guestsMayKnock]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onKnock();
    void join(code, name.trim(), email.trim());
  };

  return (
    <main className="sign-in">
      <form className="card sign-in-card guest-card" onSubmit={submit} aria-labelledby="guest-title">
        <div className="guest-card-main">
          <p className="brand" aria-hidden="true">
            {PRODUCT.productName}
          </p>
          {landing === undefined ? (
            <>
              <h1 id="guest-title">{t('session.guest.title')}</h1>
              <p>{t('session.guest.code', { code })}</p>
            </>
          ) : (
            <>
              <h1 id="guest-title">{landing.title}</h1>
              <p>{t('session.guest.invited', { product: PRODUCT.productName })}</p>
              {landing.recorded ? (
                <p className="hint" role="status">
                  {t('session.guest.recorded')}
                </p>
              ) : null}
              <a className="button button-wide" href={joinDeepLink(code)}>
                {t('session.guest.openInApp', { product: PRODUCT.productName })}
              </a>
              {guestsMayKnock ? (
                <h2 className="guest-in-browser">{t('session.guest.inBrowser')}</h2>
              ) : (
                <p role="status">{t('session.guest.noOutsiders')}</p>
              )}
            </>
          )}
          {guestsMayKnock ? (
            <>
              <div className="field">
                <label htmlFor={ids.name}>{t('session.guest.name')}</label>
                <input
                  id={ids.name}
                  required
                  maxLength={64}
                  autoComplete="name"
                  value={name}
                  // The socket the knock goes on opens while the name is typed; one the server
                  // closed unused (after 10 s) opens again at the next key.
                  onFocus={controller.warmConnection}
                  aria-describedby={state.error === undefined ? undefined : ids.error}
                  onChange={(e) => {
                    setName(e.target.value);
                    controller.warmConnection();
                  }}
                />
              </div>
              <div className="field">
                <label htmlFor={ids.email}>{t('session.guest.email')}</label>
                <input
                  id={ids.email}
                  type="email"
                  autoComplete="email"
                  value={email}
                  onFocus={controller.warmConnection}
                  aria-describedby={ids.emailHint}
                  onChange={(e) => setEmail(e.target.value)}
                />
                <p id={ids.emailHint} className="hint">
                  {t('session.guest.emailHint')}
                </p>
              </div>
              {state.error === undefined ? null : (
                <p id={ids.error} className="error" role="alert">
                  {state.error}
                </p>
              )}
              <button type="submit" className="button button-primary button-wide" disabled={state.busy}>
                {state.busy ? t('session.guest.asking') : t('session.guest.ask')}
              </button>
            </>
          ) : null}
          <button type="button" className="button button-wide" onClick={() => setInvite(null)}>
            {t('session.guest.haveAccount')}
          </button>
        </div>
        {guestsMayKnock ? (
          // One's camera and microphone, as the call will take them over (what is off here starts
          // off): beside the form where the window is wide enough, under it where it is not.
          <div className="guest-card-preview">
            <PreviewWhenIdle />
          </div>
        ) : null}
      </form>
    </main>
  );
}
