import { PRODUCT, type SignInMethod } from '@tandem/shared';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';

/**
 * Sign-in by password or by the organisation's single sign-on (the system browser). The password
 * is hidden when IT's policy says `signInMethod: sso`, or when the server says the address's
 * organisation requires single sign-on (asked once the e-mail is typed, and learnt from a refused
 * password).
 */
export function SignIn({
  reason,
  defaultServerUrl,
  serverLocked = false,
}: {
  readonly reason?: string;
  readonly defaultServerUrl: string;
  /** The organisation's policy fixes the server: shown, not editable. */
  readonly serverLocked?: boolean;
}) {
  const t = useT();
  const controller = useController();
  const ssoByPolicy = useAppStore((s) => s.managed.values.signInMethod === 'sso');
  const [typedServerUrl, setServerUrl] = useState(defaultServerUrl);
  // The policy can arrive after the first render; a locked server always follows it.
  const serverUrl = serverLocked ? defaultServerUrl : typedServerUrl;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  /** What the server said of the address typed, and for which address. */
  const [method, setMethod] = useState<{ readonly email: string; readonly method: SignInMethod } | null>(null);
  const ssoOnly = ssoByPolicy || (method?.email === email.trim() && method.method === 'sso_required');
  const emailField = useRef<HTMLInputElement>(null);
  const [signIn, passwordState] = useAsyncAction(async (request: Parameters<typeof controller.signIn>[0]) => {
    try {
      await controller.signIn(request);
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'sso_required') {
        setMethod({ email: request.email, method: 'sso_required' });
      }
      throw error;
    }
  });
  const [signInWithSso, ssoState] = useAsyncAction(controller.signInWithSso);
  const ids = { server: useId(), email: useId(), password: useId(), sso: useId() };
  const error = ssoState.error ?? passwordState.error;

  const askMethod = async () => {
    const typed = email.trim();
    if (ssoByPolicy || emailField.current?.validity.valid !== true || typed === '') return;
    const answer = await controller.signInMethod({ serverUrl: serverUrl.trim(), email: typed });
    setMethod({ email: typed, method: answer });
  };

  const withSso = () => {
    if (emailField.current?.reportValidity() === false) return;
    void signInWithSso({ serverUrl: serverUrl.trim(), email: email.trim() });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ssoOnly) withSso();
    else void signIn({ serverUrl: serverUrl.trim(), email: email.trim(), password });
  };

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <p className="brand" aria-hidden="true">
          {PRODUCT.productName}
        </p>
        <h1 id="sign-in-title">{t('session.signIn.title')}</h1>
        {reason === undefined ? null : (
          <p className="notice" role="status">
            {reason}
          </p>
        )}
        <div className="field">
          <label htmlFor={ids.server}>{t('session.signIn.server')}</label>
          <input
            id={ids.server}
            type="url"
            required
            value={serverUrl}
            readOnly={serverLocked}
            aria-describedby={serverLocked ? `${ids.server}-locked` : undefined}
            onChange={(e) => setServerUrl(e.target.value)}
          />
          {serverLocked ? (
            <p id={`${ids.server}-locked`} className="hint">
              {t('session.signIn.serverLocked')}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={ids.email}>{t('session.signIn.email')}</label>
          <input
            id={ids.email}
            ref={emailField}
            type="email"
            autoComplete="username"
            required
            value={email}
            aria-describedby={ssoOnly ? ids.sso : undefined}
            onChange={(e) => setEmail(e.target.value)}
            onBlur={() => void askMethod()}
          />
        </div>
        {ssoOnly ? (
          <p id={ids.sso} className="hint">
            {t('session.signIn.ssoOnly')}
          </p>
        ) : (
          <div className="field">
            <label htmlFor={ids.password}>{t('session.signIn.password')}</label>
            <input
              id={ids.password}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
        )}
        {error === undefined ? null : (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {ssoState.busy ? (
          <p className="notice" role="status">
            {t('session.signIn.finishInBrowser', { product: PRODUCT.productName })}
          </p>
        ) : null}
        {/* While the browser is out, signing in again (either way) replaces that attempt. */}
        {ssoOnly ? (
          <button type="submit" className="button button-primary button-wide">
            {t('session.signIn.withSso')}
          </button>
        ) : (
          <div className="sign-in-actions">
            <button type="submit" className="button button-primary button-wide" disabled={passwordState.busy}>
              {passwordState.busy ? t('session.signIn.busy') : t('session.signIn.title')}
            </button>
            <button type="button" className="button button-wide" disabled={passwordState.busy} onClick={withSso}>
              {t('session.signIn.useSso')}
            </button>
          </div>
        )}
      </form>
    </main>
  );
}
