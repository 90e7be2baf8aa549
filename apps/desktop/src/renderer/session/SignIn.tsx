import { PRODUCT } from '@tandem/shared';
import { useId, useState, type FormEvent } from 'react';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';

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
  const controller = useController();
  const [typedServerUrl, setServerUrl] = useState(defaultServerUrl);
  // The policy can arrive after the first render; a locked server always follows it.
  const serverUrl = serverLocked ? defaultServerUrl : typedServerUrl;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, state] = useAsyncAction(controller.signIn);
  const ids = { server: useId(), email: useId(), password: useId() };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signIn({ serverUrl: serverUrl.trim(), email: email.trim(), password });
  };

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <p className="brand" aria-hidden="true">
          {PRODUCT.productName}
        </p>
        <h1 id="sign-in-title">Sign in</h1>
        {reason === undefined ? null : (
          <p className="notice" role="status">
            {reason}
          </p>
        )}
        <div className="field">
          <label htmlFor={ids.server}>Server</label>
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
              Set by your organisation.
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={ids.email}>Email</label>
          <input
            id={ids.email}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>Password</label>
          <input
            id={ids.password}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {state.error === undefined ? null : (
          <p className="error" role="alert">
            {state.error}
          </p>
        )}
        <button type="submit" className="button button-primary button-wide" disabled={state.busy}>
          {state.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
