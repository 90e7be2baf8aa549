import { PRODUCT } from '@tandem/shared';
import { useId, useState, type FormEvent } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';

/**
 * Someone opened a meeting's link without being signed in: they join as a guest with a name
 * (and, if they like, an e-mail address) and wait for a host, or sign in if they have an account.
 */
export function GuestJoin({ code }: { readonly code: string }) {
  const controller = useController();
  const setInvite = useAppStore((s) => s.setInvite);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [audioEnabled, setAudio] = useState(true);
  const [videoEnabled, setVideo] = useState(true);
  const [join, state] = useAsyncAction(controller.joinAsGuest);
  const ids = { name: useId(), email: useId(), emailHint: useId(), error: useId() };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void join(code, name.trim(), email.trim(), { audioEnabled, videoEnabled });
  };

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="guest-title">
        <p className="brand" aria-hidden="true">
          {PRODUCT.productName}
        </p>
        <h1 id="guest-title">Join the meeting</h1>
        <p>Meeting code {code}. A host lets you in.</p>
        <div className="field">
          <label htmlFor={ids.name}>Your name</label>
          <input
            id={ids.name}
            required
            maxLength={64}
            autoComplete="name"
            value={name}
            aria-describedby={state.error === undefined ? undefined : ids.error}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.email}>Email (optional)</label>
          <input
            id={ids.email}
            type="email"
            autoComplete="email"
            value={email}
            aria-describedby={ids.emailHint}
            onChange={(e) => setEmail(e.target.value)}
          />
          <p id={ids.emailHint} className="hint">
            Shown to the hosts only.
          </p>
        </div>
        <fieldset className="field">
          <legend>When I join</legend>
          <label>
            <input type="checkbox" checked={audioEnabled} onChange={(e) => setAudio(e.target.checked)} /> Microphone on
          </label>
          <label>
            <input type="checkbox" checked={videoEnabled} onChange={(e) => setVideo(e.target.checked)} /> Camera on
          </label>
        </fieldset>
        {state.error === undefined ? null : (
          <p id={ids.error} className="error" role="alert">
            {state.error}
          </p>
        )}
        <button type="submit" className="button button-primary button-wide" disabled={state.busy}>
          {state.busy ? 'Asking to join…' : 'Ask to join'}
        </button>
        <button type="button" className="button button-wide" onClick={() => setInvite(null)}>
          I have an account: sign in
        </button>
      </form>
    </main>
  );
}
