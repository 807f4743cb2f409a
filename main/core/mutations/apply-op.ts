/**
 * How each op of a long mutation is written: the apply worker and the short path of bulk actions
 * both use this, so a bulk action does the same whether it has ten users or eighty thousand.
 * The welcome op needs the sign-in feature (links and their emails); it reads the users through
 * the same connection, so it sees the rows written earlier in the transaction.
 */
import type { Db } from '../db/open-database.ts';
import type { Writer } from './pipeline.ts';
import type { LongOp } from './long-mutation-protocol.ts';
import { createAuthStore, type AuthStore } from '../auth/store.ts';
import { issueLink } from '../auth/links.ts';
import { readMailSettings } from '../mail/outbox.ts';

export function createOpApplier(db: Db, now: () => Date) {
  let auth: { store: AuthStore; portalBaseUrl: string } | null = null;
  return (w: Writer, op: LongOp): void => {
    if (op.op === 'create') w.create(op.entity, op.id, op.values);
    else if (op.op === 'update') w.update(op.entity, op.id, op.patch, op.baseVersion);
    else if (op.op === 'delete') w.delete(op.entity, op.id);
    else {
      auth ??= { store: createAuthStore(db), portalBaseUrl: readMailSettings(db).portalBaseUrl };
      const user = auth.store.user(op.userId);
      if (user && auth.store.canUseEmailLogin(user)) {
        const purpose = auth.store.credential(user.id)?.password_hash ? 'reset' : 'welcome';
        issueLink(w, auth.store, user, purpose, now(), auth.portalBaseUrl);
      }
    }
  };
}
