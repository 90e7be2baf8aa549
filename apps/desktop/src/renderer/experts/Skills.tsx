import { PAGE_LIMITS, SkillSchema } from '@tandem/shared';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import './experts.css';

/**
 * Settings → My skills (issue 18): what people on the organisation's pages may ask one about.
 * Each change is saved at once; the server keeps one of each skill whatever its case.
 */
export function Skills() {
  const t = useT();
  const client = useClient();
  const id = useId();
  const load = useCallback(async () => (await client.expertsMySkills({ params: {}, body: {} })).skills, [client]);
  const [loaded, , update] = useLoad(load);
  const [draft, setDraft] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [save, state] = useAsyncAction(
    useCallback(
      async (skills: readonly string[]) => {
        const saved = await client.expertsSetMySkills({ params: {}, body: { skills: [...skills] } });
        update(() => saved.skills);
      },
      [client, update],
    ),
  );
  if (loaded.status !== 'ready')
    return (
      <section className="card" aria-labelledby={`${id}-title`} aria-busy={loaded.status === 'loading'}>
        <h2 id={`${id}-title`}>{t('experts.skills.title')}</h2>
        <p role={loaded.status === 'failed' ? 'alert' : 'status'}>
          {loaded.status === 'failed' ? loaded.message : t('experts.skills.loading')}
        </p>
      </section>
    );
  const skills = loaded.value;
  const add = (e: FormEvent) => {
    e.preventDefault();
    const parsed = SkillSchema.safeParse(draft);
    if (!parsed.success) return setInvalid(t('experts.skills.invalid', { max: PAGE_LIMITS.skillChars }));
    if (skills.length >= PAGE_LIMITS.skillsPerPerson)
      return setInvalid(t('experts.skills.tooMany', { max: PAGE_LIMITS.skillsPerPerson }));
    setInvalid(null);
    void save([...skills, parsed.data]).then((ok) => {
      if (ok) setDraft('');
    });
  };
  return (
    <section className="card skills" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('experts.skills.title')}</h2>
      <p className="muted">{t('experts.skills.hint')}</p>
      {skills.length === 0 ? (
        <p>{t('experts.skills.none')}</p>
      ) : (
        <ul className="skill-list" aria-label={t('experts.skills.title')}>
          {skills.map((skill) => (
            <li key={skill}>
              {skill}
              <button
                type="button"
                className="button"
                disabled={state.busy}
                aria-label={t('experts.skills.remove', { skill })}
                onClick={() => void save(skills.filter((s) => s !== skill))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={add}>
        <label htmlFor={`${id}-new`}>{t('experts.skills.add')}</label>
        <input
          id={`${id}-new`}
          value={draft}
          maxLength={PAGE_LIMITS.skillChars}
          aria-invalid={invalid !== null}
          aria-describedby={invalid === null ? undefined : `${id}-invalid`}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="button" disabled={state.busy || draft.trim() === ''}>
          {t('experts.skills.addButton')}
        </button>
      </form>
      {invalid === null ? null : (
        <p id={`${id}-invalid`} role="alert" className="error">
          {invalid}
        </p>
      )}
      {state.error === undefined ? null : (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
    </section>
  );
}
