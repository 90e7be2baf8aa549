import type { Role, User } from '@tandem/shared';
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import { assignableRoles, managesPeople, mayChange, ROLE_LABELS, usePeopleController, withPerson } from './people.ts';
import './people.css';

/** Settings card for owners and admins: the organisation's people, adding them, roles, offboarding. */
export function People() {
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  return me !== undefined && managesPeople(me) ? <PeopleCard me={me} /> : null;
}

function PeopleCard({ me }: { readonly me: User }) {
  const controller = usePeopleController();
  const [loaded, reload, update] = useLoad(controller.list);
  const changed = useCallback((person: User) => update((people) => withPerson(people, person)), [update]);

  return (
    <section className="card" aria-labelledby="people-title" aria-busy={loaded.status === 'loading'}>
      <h2 id="people-title">People</h2>
      <p className="hint">
        Add the people of your organisation and choose what they may do. When someone leaves, deactivate their account:
        they are signed out everywhere at once and cannot sign in again; what they wrote stays.
      </p>
      <LoadState loaded={loaded} what="people" onRetry={() => void reload()} />
      {loaded.status === 'ready' ? (
        <ul className="people" aria-label="People in your organisation">
          {loaded.value.map((person) => (
            <PersonRow key={person.id} me={me} person={person} onChanged={changed} />
          ))}
        </ul>
      ) : null}
      <AddPerson me={me} onAdded={changed} />
    </section>
  );
}

function PersonRow({
  me,
  person,
  onChanged,
}: {
  readonly me: User;
  readonly person: User;
  readonly onChanged: (person: User) => void;
}) {
  const controller = usePeopleController();
  const may = mayChange(me, person);
  // What the role control shows: the person's role until another is picked (and kept after a refusal).
  const [picked, setPicked] = useState<Role | null>(null);
  const role = picked ?? person.role;
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const nameId = useId();
  const roleId = useId();
  const deactivated = person.status === 'deactivated';

  const [changeRole, roleState] = useAsyncAction(
    useCallback(async () => {
      onChanged(await controller.setRole(person.id, role));
      setPicked(null);
    }, [controller, onChanged, person, role]),
  );
  const [toggle, toggleState] = useAsyncAction(
    useCallback(async () => {
      onChanged(await (deactivated ? controller.reactivate(person.id) : controller.deactivate(person.id)));
      setConfirming(false);
    }, [controller, deactivated, onChanged, person]),
  );
  const close = () => {
    setConfirming(false);
    opener.current?.focus();
  };

  return (
    <li className="person" aria-labelledby={nameId}>
      <div className="person-who">
        <span id={nameId} className="person-name">
          {person.name}
          {person.id === me.id ? ' (you)' : ''}
        </span>
        <span className="hint">{person.email}</span>
        <span className="person-status">{deactivated ? 'Deactivated' : 'Active'}</span>
      </div>
      <div className="row person-actions">
        {may.role ? (
          <>
            <label htmlFor={roleId} className="visually-hidden">
              Role of {person.name}
            </label>
            <select id={roleId} value={role} onChange={(e) => setPicked(e.target.value as Role)}>
              {assignableRoles(me).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button"
              aria-label={`Change role of ${person.name}`}
              disabled={role === person.role || roleState.busy}
              onClick={() => void changeRole()}
            >
              {roleState.busy ? 'Changing…' : 'Change role'}
            </button>
          </>
        ) : (
          <span>{ROLE_LABELS[person.role]}</span>
        )}
        {may.deactivate ? (
          <button
            ref={opener}
            type="button"
            className="button"
            aria-label={deactivated ? `Reactivate ${person.name}…` : `Deactivate ${person.name}…`}
            onClick={() => setConfirming(true)}
          >
            {deactivated ? 'Reactivate…' : 'Deactivate…'}
          </button>
        ) : null}
      </div>
      {roleState.error === undefined ? null : (
        <p className="error" role="alert">
          Role not changed: {roleState.error}
        </p>
      )}
      {confirming ? (
        <Modal title={deactivated ? `Reactivate ${person.name}?` : `Deactivate ${person.name}?`} onClose={close}>
          <p>
            {deactivated
              ? `${person.name} can sign in again with their password.`
              : `${person.name} is signed out on every device at once, leaves any meeting they are in and cannot sign in until reactivated. Their messages and decisions stay.`}
          </p>
          {toggleState.error === undefined ? null : (
            <p className="error" role="alert">
              {toggleState.error}
            </p>
          )}
          <div className="row form-actions">
            <button type="button" className="button" autoFocus onClick={close}>
              {deactivated ? 'Cancel' : 'Keep active'}
            </button>
            <button
              type="button"
              className={deactivated ? 'button button-primary' : 'button button-danger'}
              disabled={toggleState.busy}
              onClick={() => void toggle().then((done) => done && opener.current?.focus())}
            >
              {toggleState.busy ? 'Saving…' : deactivated ? 'Reactivate' : 'Deactivate'}
            </button>
          </div>
        </Modal>
      ) : null}
    </li>
  );
}

type NewPerson = { readonly name: string; readonly email: string; readonly password: string; readonly role: Role };
const NOBODY: NewPerson = { name: '', email: '', password: '', role: 'member' };

function AddPerson({ me, onAdded }: { readonly me: User; readonly onAdded: (person: User) => void }) {
  const controller = usePeopleController();
  const [draft, setDraft] = useState<NewPerson>(NOBODY);
  const [added, setAdded] = useState('');
  const ids = { name: useId(), email: useId(), password: useId(), role: useId() };
  const [add, state] = useAsyncAction(
    useCallback(
      async (person: NewPerson) => {
        setAdded('');
        const user = await controller.add({ ...person, name: person.name.trim(), email: person.email.trim() });
        onAdded(user);
        setDraft(NOBODY);
        setAdded(`${user.name} was added. Give them their temporary password.`);
      },
      [controller, onAdded],
    ),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void add(draft);
  };
  const set = (patch: Partial<NewPerson>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <form className="add-person" onSubmit={submit} aria-labelledby={`${ids.name}-title`}>
      <h3 id={`${ids.name}-title`} className="add-person-title">
        Add a person
      </h3>
      <div className="add-person-fields">
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            required
            maxLength={100}
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.email}>Email</label>
          <input
            id={ids.email}
            type="email"
            required
            maxLength={254}
            autoComplete="off"
            value={draft.email}
            onChange={(e) => set({ email: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>Temporary password</label>
          <input
            id={ids.password}
            type="password"
            required
            minLength={10}
            maxLength={200}
            autoComplete="new-password"
            aria-describedby={`${ids.password}-hint`}
            value={draft.password}
            onChange={(e) => set({ password: e.target.value })}
          />
          <span id={`${ids.password}-hint`} className="hint">
            At least 10 characters.
          </span>
        </div>
        <div className="field">
          <label htmlFor={ids.role}>Role</label>
          <select id={ids.role} value={draft.role} onChange={(e) => set({ role: e.target.value as Role })}>
            {assignableRoles(me).map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          Not added: {state.error}
        </p>
      )}
      <p role="status">{added}</p>
      <button type="submit" className="button button-primary" disabled={state.busy}>
        {state.busy ? 'Adding…' : 'Add person'}
      </button>
    </form>
  );
}
