import type { Db } from '../db/open-database.ts';
import type { MutationRunner } from '../mutations/pipeline.ts';
import type { Clock } from '../clock.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { MailSender } from '../mail/sender.ts';
import type { CallScope } from '../mutations/pipeline.ts';

/** What every handler gets: the database (reads), the one write path, and the caller. */
export interface CoreDeps {
  db: Db;
  mutations: MutationRunner;
  clock: Clock;
  secrets: SecretStore;
  dataDir: string;
  version: string;
  /** Tell windows what a long mutation changed, once it committed. */
  committed(summary: { orgIds: Set<string>; entities: Set<string> }): void;
  /** Bundled worker entries (Electron build); undefined = the TypeScript sources. */
  workers: { sheet: URL | undefined; apply: URL | undefined; export: URL | undefined; directoryRead: URL | undefined; syncCheckpoint?: URL | undefined };
  /** The mail outbox's sender loop: kick() after queueing a message (main/core/mail). */
  mail: MailSender;
  /** Run `work` when no other write is in progress (see createCore). */
  withWriter<T>(work: () => Promise<T> | T): Promise<T>;
  /**
   * Run a contract method inside the caller's turn (no writer queue): the Portal's sync push re-runs
   * a console's change with it while holding the writer. Set by createCore.
   */
  dispatch(method: string, input: unknown, ctx: CallContext, scope?: Partial<CallScope>): Promise<unknown>;
  /** Sync's engine (main/core/sync): started once the handlers exist, stopped by close(). */
  sync: {
    start(): void;
    stop(): void;
    /** A long mutation (apply worker) committed inside `scope`'s call, with its outbox entries: sync sends them. */
    longCommitted?(summary: { orgIds: Set<string>; entities: Set<string> }, scope: CallScope | undefined): void;
  };
  /** Emit a core event (sync's status changes). */
  emit(event: string, payload: unknown): void;
}

export interface CallContext {
  actor: Actor;
}
