import type { Role, User } from '@tandem/shared';
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import { assignableRoles, managesPeople, mayChange, ROLE_LABELS, usePeopleController, withPerson } from './people.ts';
import './people.css';
import { useT } from '../i18n/useT.ts';

/** Settings card for owners and admins: the organisation's people, adding them, roles, offboarding. */
export function People() {
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  return me !== undefined && managesPeople(me) ? <PeopleCard me={me} /> : null;
}

function PeopleCard({ me }: { readonly me: User }) {
  const t = useT();
  const controller = usePeopleController();
  const [loaded, reload, update] = useLoad(controller.list);
  const changed = useCallback((person: User) => update((people) => withPerson(people, person)), [update]);

  return (
    <section className="card" aria-labelledby="people-title" aria-busy={loaded.status === 'loading'}>
      <h2 id="people-title">{t('chat.people')}</h2>
      <p className="hint">{t('people.hint')}</p>
      <LoadState loaded={loaded} what={t('people.what')} onRetry={() => void reload()} />
      {loaded.status === 'ready' ? (
        <ul className="people" aria-label={t('chat.people.list')}>
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
  const t = useT();
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
          {person.id === me.id ? t('call.you', { name: person.name }) : person.name}
        </span>
        <span className="hint">{person.email}</span>
        <span className="person-status">{t(deactivated ? 'people.deactivated' : 'people.active')}</span>
      </div>
      <div className="row person-actions">
        {may.role ? (
          <>
            <label htmlFor={roleId} className="visually-hidden">
              {t('people.roleOf', { name: person.name })}
            </label>
            <select id={roleId} value={role} onChange={(e) => setPicked(e.target.value as Role)}>
              {assignableRoles(me).map((r) => (
                <option key={r} value={r}>
                  {t(ROLE_LABELS[r])}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button"
              aria-label={t('people.changeRole.named', { name: person.name })}
              disabled={role === person.role || roleState.busy}
              onClick={() => void changeRole()}
            >
              {t(roleState.busy ? 'people.changing' : 'people.changeRole')}
            </button>
          </>
        ) : (
          <span>{t(ROLE_LABELS[person.role])}</span>
        )}
        {may.deactivate ? (
          <button
            ref={opener}
            type="button"
            className="button"
            aria-label={t(deactivated ? 'people.reactivate.named' : 'people.deactivate.named', { name: person.name })}
            onClick={() => setConfirming(true)}
          >
            {t(deactivated ? 'people.reactivate.open' : 'people.deactivate.open')}
          </button>
        ) : null}
      </div>
      {roleState.error === undefined ? null : (
        <p className="error" role="alert">
          {t('people.roleFailed', { reason: roleState.error })}
        </p>
      )}
      {confirming ? (
        <Modal
          title={t(deactivated ? 'people.reactivate.question' : 'people.deactivate.question', { name: person.name })}
          onClose={close}
        >
          <p>{t(deactivated ? 'people.reactivate.what' : 'people.deactivate.what', { name: person.name })}</p>
          {toggleState.error === undefined ? null : (
            <p className="error" role="alert">
              {toggleState.error}
            </p>
          )}
          <div className="row form-actions">
            <button type="button" className="button" autoFocus onClick={close}>
              {t(deactivated ? 'chat.cancel' : 'people.keepActive')}
            </button>
            <button
              type="button"
              className={deactivated ? 'button button-primary' : 'button button-danger'}
              disabled={toggleState.busy}
              onClick={() => void toggle().then((done) => done && opener.current?.focus())}
            >
              {t(toggleState.busy ? 'ui.saving' : deactivated ? 'people.reactivate' : 'people.deactivate')}
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
  const t = useT();
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
        setAdded(t('people.added', { name: user.name }));
      },
      [controller, onAdded, t],
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
        {t('people.add.title')}
      </h3>
      <div className="add-person-fields">
        <div className="field">
          <label htmlFor={ids.name}>{t('people.name')}</label>
          <input
            id={ids.name}
            required
            maxLength={100}
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.email}>{t('people.email')}</label>
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
          <label htmlFor={ids.password}>{t('people.password')}</label>
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
            {t('people.password.hint', { min: 10 })}
          </span>
        </div>
        <div className="field">
          <label htmlFor={ids.role}>{t('people.role')}</label>
          <select id={ids.role} value={draft.role} onChange={(e) => set({ role: e.target.value as Role })}>
            {assignableRoles(me).map((r) => (
              <option key={r} value={r}>
                {t(ROLE_LABELS[r])}
              </option>
            ))}
          </select>
        </div>
      </div>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('people.add.failed', { reason: state.error })}
        </p>
      )}
      <p role="status">{added}</p>
      <button type="submit" className="button button-primary" disabled={state.busy}>
        {t(state.busy ? 'chat.members.adding' : 'people.add')}
      </button>
    </form>
  );
}
