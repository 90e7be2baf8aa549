import type { ConversationSummary, MemberView } from '@tandem/shared';
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useOrganisationPeople } from '../meetings/MeetingForm.tsx';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { PeoplePicker } from '../ui/PeoplePicker.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import type { Loaded } from '../ui/useLoad.ts';
import { chattable } from './ChatLists.tsx';
import { permissions, titleOf } from './chats.ts';
import { useChatsController } from './chatsController.ts';
import { useT } from '../i18n/useT.ts';

type Dialog = 'none' | 'rename' | 'members';

/**
 * What the user may do with the conversation on screen, beside its title: its members (private
 * ones), rename, archive or unarchive, leave or join again. Online only; each says why it failed.
 */
export function ConversationActions({ conversation }: { readonly conversation: ConversationSummary }) {
  const t = useT();
  const controller = useChatsController();
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  const [dialog, setDialog] = useState<Dialog>('none');
  const archived = conversation.archivedAt !== null;
  const [toggleArchive, archiving] = useAsyncAction(() => controller.update(conversation.id, { archived: !archived }));
  const [leave, leaving] = useAsyncAction(() => controller.leave(conversation.id));
  const [join, joining] = useAsyncAction(() => controller.join(conversation.id));
  if (me === undefined) return null;
  const may = permissions(conversation, me);
  const error = archiving.error ?? leaving.error ?? joining.error;
  if (!Object.values(may).some(Boolean)) return null;
  return (
    <div className="conversation-actions" role="group" aria-label={t('chat.conversation.actions')}>
      {may.members ? (
        <button type="button" className="button" onClick={() => setDialog('members')}>
          {t('chat.members.count', { count: conversation.members?.length ?? 0 })}
        </button>
      ) : null}
      {may.rename ? (
        <button type="button" className="button" onClick={() => setDialog('rename')}>
          {t('chat.rename')}
        </button>
      ) : null}
      {may.archive ? (
        <button type="button" className="button" disabled={archiving.busy} onClick={() => void toggleArchive()}>
          {t(archived ? 'chat.unarchive' : 'chat.archive')}
        </button>
      ) : null}
      {may.join ? (
        <button type="button" className="button" disabled={joining.busy} onClick={() => void join()}>
          {t('chat.join')}
        </button>
      ) : null}
      {may.leave ? (
        <button type="button" className="button button-danger" disabled={leaving.busy} onClick={() => void leave()}>
          {t('chat.leave')}
        </button>
      ) : null}
      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {dialog === 'rename' ? <RenameDialog conversation={conversation} onClose={() => setDialog('none')} /> : null}
      {dialog === 'members' ? <MembersDialog conversation={conversation} onClose={() => setDialog('none')} /> : null}
    </div>
  );
}

function RenameDialog({
  conversation,
  onClose,
}: {
  readonly conversation: ConversationSummary;
  readonly onClose: () => void;
}) {
  const t = useT();
  const controller = useChatsController();
  const [name, setName] = useState(conversation.name);
  const id = useId();
  const group = conversation.kind === 'group';
  const [run, state] = useAsyncAction(async () => {
    await controller.update(conversation.id, { name: name.trim() });
    onClose();
  });
  const empty = !group && name.trim() === '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!empty) void run();
  };
  return (
    <Modal title={t(group ? 'chat.rename.group' : 'chat.rename.channel')} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={id}>{t(group ? 'chat.rename.groupName' : 'chat.channelName')}</label>
          <input
            id={id}
            value={name}
            maxLength={100}
            aria-invalid={empty}
            aria-describedby={empty ? `${id}-error` : undefined}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        {empty ? (
          <p id={`${id}-error`} className="error">
            {t('chat.rename.empty')}
          </p>
        ) : null}
        {state.error === undefined ? null : (
          <p className="error" role="alert">
            {state.error}
          </p>
        )}
        <div className="row dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('chat.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={state.busy || empty}>
            {t(state.busy ? 'ui.saving' : 'ui.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Who is in a group or private channel: adding people (with or without the history), removing, leaving. */
function MembersDialog({
  conversation,
  onClose,
}: {
  readonly conversation: ConversationSummary;
  readonly onClose: () => void;
}) {
  const t = useT();
  const controller = useChatsController();
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  const [load, setLoad] = useState<Loaded<readonly MemberView[]>>({ status: 'loading' });
  const reload = useCallback(async () => {
    try {
      setLoad({ status: 'ready', value: await controller.members(conversation.id) });
    } catch (e) {
      setLoad({ status: 'failed', message: errorText(e) });
    }
  }, [controller, conversation.id]);
  useEffect(() => {
    void reload();
    // The list changes with the conversation's members (someone else added or removed people).
  }, [reload, conversation.members]);
  const may = me === undefined ? undefined : permissions(conversation, me);
  const title = titleOf(conversation, me?.id);
  return (
    <Modal title={t('chat.members.of', { title })} onClose={onClose}>
      <LoadState loaded={load} what={t('chat.members.what')} onRetry={() => void reload()} />
      {load.status === 'ready' ? (
        <ul className="members" aria-label={t('chat.members')}>
          {load.value.map((m) => (
            <MemberRow
              key={m.userId}
              conversationId={conversation.id}
              member={m}
              self={m.userId === me?.id}
              removable={may?.remove === true && m.userId !== me?.id}
              onRemoved={() => void reload()}
            />
          ))}
        </ul>
      ) : null}
      {may?.invite === true && load.status === 'ready' ? (
        <AddMembers
          conversationId={conversation.id}
          members={load.value.map((m) => m.userId)}
          onAdded={() => void reload()}
        />
      ) : null}
      <div className="row dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('chat.close')}
        </button>
      </div>
    </Modal>
  );
}

function MemberRow({
  conversationId,
  member,
  self,
  removable,
  onRemoved,
}: {
  readonly conversationId: string;
  readonly member: MemberView;
  readonly self: boolean;
  readonly removable: boolean;
  readonly onRemoved: () => void;
}) {
  const t = useT();
  const controller = useChatsController();
  const [remove, state] = useAsyncAction(async () => {
    await controller.removeMember(conversationId, member.userId);
    onRemoved();
  });
  return (
    <li className="member">
      <span className="person-name">{self ? t('call.you', { name: member.name }) : member.name}</span>
      {member.role === 'owner' ? <span className="tag">{t('chat.owner')}</span> : null}
      {removable ? (
        <button
          type="button"
          className="button"
          aria-label={t('chat.remove.named', { name: member.name })}
          disabled={state.busy}
          onClick={() => void remove()}
        >
          {t('chat.remove')}
        </button>
      ) : null}
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </li>
  );
}

function AddMembers({
  conversationId,
  members,
  onAdded,
}: {
  readonly conversationId: string;
  readonly members: readonly string[];
  readonly onAdded: () => void;
}) {
  const t = useT();
  const controller = useChatsController();
  const people = useOrganisationPeople();
  const [chosen, setChosen] = useState<string[]>([]);
  const [history, setHistory] = useState(true);
  const id = useId();
  const pickable = useMemo(
    () => (people.status === 'ready' ? chattable(people.people, undefined).filter((p) => !members.includes(p.id)) : []),
    [people, members],
  );
  const [add, state] = useAsyncAction(async () => {
    await controller.addMembers(conversationId, chosen, history);
    setChosen([]);
    onAdded();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen.length > 0) void add();
  };
  return (
    <form className="add-members" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('chat.members.add')}</h3>
      <PeoplePicker
        label={t('chat.members.toAdd')}
        people={pickable}
        chosen={chosen}
        onChange={setChosen}
        unknownName={t(people.status === 'loading' ? 'chat.loading' : 'chat.unlisted')}
      />
      <label className="check">
        <input type="checkbox" checked={history} onChange={(e) => setHistory(e.target.checked)} />
        {t('chat.members.history')}
      </label>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={state.busy || chosen.length === 0}>
        {t(state.busy ? 'chat.members.adding' : 'chat.members.addButton')}
      </button>
    </form>
  );
}
