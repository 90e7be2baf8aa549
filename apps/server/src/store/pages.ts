import {
  pageKeyString,
  type DelegationStatus,
  type PageDelegation,
  type PageKey,
  type PageThread,
} from '@tandem/shared';
import type { User } from '@tandem/shared';
import type { Db } from './db.ts';
import { isPostgres } from './dialect.ts';
import { toUser } from './identity.ts';
import type { Database } from './schema.ts';

/** What a page token opens: a person of an organisation on one page. */
export type PageGrant = {
  readonly organisationId: string;
  readonly userId: string;
  readonly page: PageKey;
  readonly url: string;
  readonly title: string;
  readonly expiresAt: string;
};

export type NewDelegation = Omit<PageDelegation, 'delegate' | 'delegatedBy' | 'finishedAt' | 'status'> & {
  readonly organisationId: string;
  readonly delegateId: string;
  readonly delegatedById: string;
};

type DelegationRow = Database['page_delegations'] & { delegate_name: string; delegated_by_name: string };
type ThreadRow = Database['page_threads'];

const toDelegation = (r: DelegationRow): PageDelegation => ({
  id: r.id,
  page: { app: r.app, view: r.view, recordId: r.record_id },
  url: r.url,
  title: r.title,
  field: r.field,
  fieldLabel: r.field_label,
  delegate: { id: r.delegate_id, name: r.delegate_name },
  delegatedBy: { id: r.delegated_by, name: r.delegated_by_name },
  note: r.note,
  dueDate: r.due_date,
  status: r.status as DelegationStatus,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

const toThread = (r: ThreadRow): PageThread => ({
  page: { app: r.app, view: r.view, recordId: r.record_id },
  url: r.url,
  title: r.title,
  field: r.field,
  fieldLabel: r.field_label,
  conversationId: r.conversation_id,
  createdAt: r.created_at,
});

/** Pages of business web apps (022_pages): tokens, documents, delegations, threads. Every query names the organisation. */
export function pageStore(db: Db) {
  const delegations = (organisationId: string) =>
    db
      .selectFrom('page_delegations as d')
      .innerJoin('users as a', 'a.id', 'd.delegate_id')
      .innerJoin('users as b', 'b.id', 'd.delegated_by')
      .selectAll('d')
      .select(['a.name as delegate_name', 'b.name as delegated_by_name'])
      .where('d.organisation_id', '=', organisationId);

  return {
    /** The active person (not a guest, not deactivated) the host app means. */
    async person(organisationId: string, by: { email: string } | { externalId: string }): Promise<User | undefined> {
      let q = db
        .selectFrom('users')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('deactivated_at', 'is', null)
        .where('role', '!=', 'guest')
        .where((eb) =>
          eb.not(
            eb.exists(eb.selectFrom('api_keys').select('api_keys.id').whereRef('api_keys.user_id', '=', 'users.id')),
          ),
        );
      q =
        'email' in by
          ? q.where((eb) => eb(eb.fn('lower', ['email']), '=', by.email.toLowerCase()))
          : q.where('scim_external_id', '=', by.externalId);
      const r = await q.executeTakeFirst();
      return r === undefined ? undefined : toUser(r);
    },

    async putToken(hash: string, g: PageGrant, now: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        // Spent tokens go as new ones come: the table holds only the last few minutes' tokens.
        await tx.deleteFrom('page_tokens').where('expires_at', '<=', now).execute();
        await tx
          .insertInto('page_tokens')
          .values({
            token_hash: hash,
            organisation_id: g.organisationId,
            user_id: g.userId,
            app: g.page.app,
            view: g.page.view,
            record_id: g.page.recordId,
            url: g.url,
            title: g.title,
            expires_at: g.expiresAt,
          })
          .execute();
      });
    },

    async grant(hash: string, now: string): Promise<PageGrant | undefined> {
      const r = await db
        .selectFrom('page_tokens')
        .selectAll()
        .where('token_hash', '=', hash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return r === undefined
        ? undefined
        : {
            organisationId: r.organisation_id,
            userId: r.user_id,
            page: { app: r.app, view: r.view, recordId: r.record_id },
            url: r.url,
            title: r.title,
            expiresAt: r.expires_at,
          };
    },

    async doc(organisationId: string, page: PageKey): Promise<string | undefined> {
      const r = await db
        .selectFrom('page_docs')
        .select('state')
        .where('organisation_id', '=', organisationId)
        .where('page_key', '=', pageKeyString(page))
        .executeTakeFirst();
      return r?.state;
    },

    /**
     * Writes the page's document as `merge` makes it from the stored one (undefined: none yet),
     * read and written in one transaction with the row locked, so instances saving the same page
     * at once each merge into what the other wrote and no edit is lost.
     */
    async mergeDoc(
      organisationId: string,
      page: PageKey,
      merge: (stored: string | undefined) => string,
      now: string,
    ): Promise<void> {
      const key = pageKeyString(page);
      await db.transaction().execute(async (tx) => {
        const read = () =>
          tx
            .selectFrom('page_docs')
            .select('state')
            .where('organisation_id', '=', organisationId)
            .where('page_key', '=', key)
            .$if(isPostgres(tx), (q) => q.forUpdate())
            .executeTakeFirst();
        let row = await read();
        if (row === undefined) {
          const inserted = await tx
            .insertInto('page_docs')
            .values({ organisation_id: organisationId, page_key: key, state: merge(undefined), updated_at: now })
            .onConflict((oc) => oc.columns(['organisation_id', 'page_key']).doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return;
          // Another instance wrote it first (its insert committed meanwhile): merge into that.
          row = await read();
          if (row === undefined) throw new Error(`the page document ${key} vanished while it was saved`);
        }
        await tx
          .updateTable('page_docs')
          .set({ state: merge(row.state), updated_at: now })
          .where('organisation_id', '=', organisationId)
          .where('page_key', '=', key)
          .execute();
      });
    },

    /** Makes a delegation of a field nobody holds; undefined when an open one holds it already. */
    async delegate(d: NewDelegation): Promise<PageDelegation | undefined> {
      const key = pageKeyString(d.page);
      const made = await db.transaction().execute(async (tx) => {
        const held = await tx
          .selectFrom('page_delegations')
          .select('id')
          .where('organisation_id', '=', d.organisationId)
          .where('page_key', '=', key)
          .where('field', '=', d.field)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (held !== undefined) return false;
        await tx
          .insertInto('page_delegations')
          .values({
            id: d.id,
            organisation_id: d.organisationId,
            page_key: key,
            app: d.page.app,
            view: d.page.view,
            record_id: d.page.recordId,
            url: d.url,
            title: d.title,
            field: d.field,
            field_label: d.fieldLabel,
            delegate_id: d.delegateId,
            delegated_by: d.delegatedById,
            note: d.note,
            due_date: d.dueDate,
            status: 'open',
            created_at: d.createdAt,
            finished_at: null,
          })
          .execute();
        return true;
      });
      return made ? this.delegation(d.organisationId, d.id) : undefined;
    },

    async delegation(organisationId: string, id: string): Promise<PageDelegation | undefined> {
      const r = await delegations(organisationId).where('d.id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toDelegation(r);
    },

    /** Moves an open delegation to `status`; false when it was no longer open. */
    async finish(organisationId: string, id: string, status: 'done' | 'cancelled', now: string): Promise<boolean> {
      const r = await db
        .updateTable('page_delegations')
        .set({ status, finished_at: now })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    /** A page's open delegations: its field locks. */
    async openOnPage(organisationId: string, page: PageKey): Promise<PageDelegation[]> {
      const rows = await delegations(organisationId)
        .where('d.page_key', '=', pageKeyString(page))
        .where('d.status', '=', 'open')
        .orderBy('d.created_at')
        .execute();
      return rows.map(toDelegation);
    },

    /** A person's delegations, to do and given: open ones, then the newest finished, `limit` each. */
    async mine(organisationId: string, userId: string, limit: number) {
      const list = async (column: 'd.delegate_id' | 'd.delegated_by') =>
        (
          await delegations(organisationId)
            .where(column, '=', userId)
            .orderBy((eb) => eb.case().when('d.status', '=', 'open').then(0).else(1).end())
            .orderBy('d.created_at', 'desc')
            .limit(limit)
            .execute()
        ).map(toDelegation);
      return { toDo: await list('d.delegate_id'), given: await list('d.delegated_by') };
    },

    async thread(organisationId: string, page: PageKey, field: string): Promise<PageThread | undefined> {
      const r = await db
        .selectFrom('page_threads')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('page_key', '=', pageKeyString(page))
        .where('field', '=', field)
        .executeTakeFirst();
      return r === undefined ? undefined : toThread(r);
    },

    /** Records a field's thread; the one recorded first wins a race (answered either way). */
    async putThread(organisationId: string, t: PageThread): Promise<PageThread> {
      await db
        .insertInto('page_threads')
        .values({
          organisation_id: organisationId,
          page_key: pageKeyString(t.page),
          field: t.field,
          app: t.page.app,
          view: t.page.view,
          record_id: t.page.recordId,
          url: t.url,
          title: t.title,
          field_label: t.fieldLabel,
          conversation_id: t.conversationId,
          created_at: t.createdAt,
        })
        .onConflict((oc) => oc.columns(['organisation_id', 'page_key', 'field']).doNothing())
        .execute();
      return (await this.thread(organisationId, t.page, t.field)) ?? t;
    },

    async threadsOnPage(organisationId: string, page: PageKey): Promise<PageThread[]> {
      const rows = await db
        .selectFrom('page_threads')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('page_key', '=', pageKeyString(page))
        .orderBy('created_at')
        .execute();
      return rows.map(toThread);
    },

    async threads(organisationId: string, limit: number): Promise<PageThread[]> {
      const rows = await db
        .selectFrom('page_threads')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toThread);
    },
  };
}

export type PageStore = ReturnType<typeof pageStore>;
