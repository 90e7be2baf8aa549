import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../i18n/useT.ts';
import { Icon } from './Icon.tsx';
import { matchPeople, stepActive, type PickablePerson } from './peoplePicker.ts';
import './peoplePicker.css';

/**
 * Picks several people (WAI-ARIA combobox with a list box): typing filters by name or email, the
 * arrow keys move through the matches, Enter adds one, Escape closes the list. Chosen people are
 * chips with a remove button; Backspace in the empty field removes the last. What changed is
 * announced. `chosen` ids not among `people` show as `unknownName`.
 */
export function PeoplePicker({
  label,
  people,
  chosen,
  onChange,
  unknownName,
}: {
  readonly label: string;
  readonly people: readonly PickablePerson[];
  readonly chosen: readonly string[];
  onChange(chosen: string[]): void;
  readonly unknownName: string;
}) {
  const t = useT();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [announced, setAnnounced] = useState('');
  const byId = useMemo(() => new Map(people.map((p) => [p.id, p])), [people]);
  const options = useMemo(
    () => (open ? matchPeople(people, query, new Set(chosen)) : []),
    [open, people, query, chosen],
  );
  const current = options[Math.min(active, options.length - 1)];
  const optionId = (person: PickablePerson) => `${id}-option-${person.id}`;
  const nameOf = (personId: string) => byId.get(personId)?.name ?? unknownName;

  function add(person: PickablePerson) {
    onChange([...chosen, person.id]);
    setQuery('');
    setActive(0);
    setAnnounced(t('ui.peoplePicker.added', { name: person.name }));
  }

  function remove(personId: string) {
    onChange(chosen.filter((c) => c !== personId));
    setAnnounced(t('ui.peoplePicker.removed', { name: nameOf(personId) }));
    input.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault();
        if (!open) {
          setOpen(true);
          setActive(0);
        } else setActive((a) => stepActive(a, e.key === 'ArrowDown' ? 1 : -1, options.length));
        return;
      }
      case 'Enter':
        // With the list open, Enter picks; it never submits the form under it.
        if (!open) return;
        e.preventDefault();
        if (current !== undefined) add(current);
        return;
      case 'Escape':
        if (!open) return;
        // Closes the list only, not the dialog around it.
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        return;
      case 'Backspace': {
        const last = chosen.at(-1);
        if (query === '' && last !== undefined) {
          e.preventDefault();
          remove(last);
        }
        return;
      }
      default:
        return;
    }
  }

  const expanded = open && options.length > 0;
  return (
    <div className="field people-picker">
      <label htmlFor={`${id}-input`}>{label}</label>
      {chosen.length === 0 ? null : (
        <ul className="people-picker-chips" aria-label={t('ui.peoplePicker.chosen', { label })}>
          {chosen.map((personId) => (
            <li key={personId} className="people-picker-chip">
              <span>{nameOf(personId)}</span>
              <button
                type="button"
                aria-label={t('ui.peoplePicker.remove', { name: nameOf(personId) })}
                onClick={() => remove(personId)}
              >
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="people-picker-box">
        <input
          ref={input}
          id={`${id}-input`}
          role="combobox"
          aria-expanded={expanded}
          aria-controls={expanded ? `${id}-list` : undefined}
          aria-autocomplete="list"
          aria-activedescendant={expanded && current !== undefined ? optionId(current) : undefined}
          aria-describedby={`${id}-hint`}
          autoComplete="off"
          placeholder={t('ui.peoplePicker.placeholder')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {expanded ? (
          <ul id={`${id}-list`} role="listbox" aria-label={label} className="people-picker-list">
            {options.map((person) => (
              <li
                key={person.id}
                id={optionId(person)}
                role="option"
                aria-selected={person === current}
                // Keeps focus in the field, so the list stays open and typing goes on.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => add(person)}
              >
                <span>{person.name}</span> <span className="people-picker-email">{person.email}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {open && query.trim() !== '' && options.length === 0 ? (
          <p className="people-picker-none">{t('ui.peoplePicker.none', { query: query.trim() })}</p>
        ) : null}
      </div>
      <p id={`${id}-hint`} className="hint">
        {t('ui.peoplePicker.hint')}
      </p>
      <span className="visually-hidden" role="status">
        {announced}
      </span>
    </div>
  );
}
