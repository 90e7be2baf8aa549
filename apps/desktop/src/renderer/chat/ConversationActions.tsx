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

type Dialog = 'none' | 'rename' | 'members';

/**
 * What the user may do with the conversation on screen, beside its title: its members (private
 * ones), rename, archive or unarchive, leave or join again. Online only; each says why it failed.
 */
export function ConversationActions({ conversation }: { readonly conversation: ConversationSummary }) {
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
    <div className="conversation-actions" role="group" aria-label="Conversation actions">
      {may.members ? (
        <button type="button" className="button" onClick={() => setDialog('members')}>
          Members ({conversation.members?.length ?? 0})
        </button>
      ) : null}
      {may.rename ? (
        <button type="button" className="button" onClick={() => setDialog('rename')}>
          Rename
        </button>
      ) : null}
      {may.archive ? (
        <button type="button" className="button" disabled={archiving.busy} onClick={() => void toggleArchive()}>
          {archived ? 'Unarchive' : 'Archive'}
        </button>
      ) : null}
      {may.join ? (
        <button type="button" className="button" disabled={joining.busy} onClick={() => void join()}>
          Join channel
        </button>
      ) : null}
      {may.leave ? (
        <button type="button" className="button button-danger" disabled={leaving.busy} onClick={() => void leave()}>
          Leave
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
    <Modal title={group ? 'Rename group' : 'Rename channel'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={id}>{group ? 'Group name (empty: named by its people)' : 'Channel name'}</label>
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
            Give the channel a name.
          </p>
        ) : null}
        {state.error === undefined ? null : (
          <p className="error" role="alert">
            {state.error}
          </p>
        )}
        <div className="row dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={state.busy || empty}>
            {state.busy ? 'Saving…' : 'Save'}
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
    <Modal title={`Members of ${title}`} onClose={onClose}>
      <LoadState loaded={load} what="members" onRetry={() => void reload()} />
      {load.status === 'ready' ? (
        <ul className="members" aria-label="Members">
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
          Close
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
  const controller = useChatsController();
  const [remove, state] = useAsyncAction(async () => {
    await controller.removeMember(conversationId, member.userId);
    onRemoved();
  });
  return (
    <li className="member">
      <span className="person-name">
        {member.name}
        {self ? ' (you)' : ''}
      </span>
      {member.role === 'owner' ? <span className="tag">Owner</span> : null}
      {removable ? (
        <button
          type="button"
          className="button"
          aria-label={`Remove ${member.name}`}
          disabled={state.busy}
          onClick={() => void remove()}
        >
          Remove
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
      <h3 id={`${id}-title`}>Add people</h3>
      <PeoplePicker
        label="People to add"
        people={pickable}
        chosen={chosen}
        onChange={setChosen}
        unknownName={people.status === 'loading' ? 'Loading…' : 'Someone no longer listed'}
      />
      <label className="check">
        <input type="checkbox" checked={history} onChange={(e) => setHistory(e.target.checked)} />
        Show them the history (otherwise they see only what is written from now on)
      </label>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={state.busy || chosen.length === 0}>
        {state.busy ? 'Adding…' : 'Add'}
      </button>
    </form>
  );
}
