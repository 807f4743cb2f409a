import { contract, isMethod, type EventName, type EventPayload, type Method, type Out, type ParsedIn } from '../../shared/contract.ts';
import type { RpcResult } from '../../shared/model/errors.ts';
import type { Actor } from '../../shared/model/organization.ts';
import { openDatabase, type Db } from './db/open-database.ts';
import { callScope, createMutationRunner, type CallScope } from './mutations/pipeline.ts';
import { systemClock, type Clock } from './clock.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { KeyringSecretStore } from './secrets/keyring-secret-store.ts';
import { AppError, fromZodError, toErrorShape } from './errors.ts';
import type { CallContext, CoreDeps } from './handlers/context.ts';
import { createAppHandlers, loadOrCreateProfile } from './handlers/app.ts';
import { createOrganizationHandlers } from './handlers/organizations.ts';
import { createBrandingHandlers } from './handlers/branding.ts';
import { createAuditHandlers } from './handlers/audit.ts';
import { createUserHandlers } from './handlers/users.ts';
import { createTransferAndJobHandlers } from './handlers/transfers-and-jobs.ts';
import { createTransferStore } from './transfers/transfer-store.ts';
import { createJobRegistry } from './jobs/job-registry.ts';
import { seedSampleOnFirstRun } from './sample-data.ts';
import { APP_VERSION } from './version.ts';
import { createAuthHandlers } from './auth/index.ts';
import { createIdentityHandlers } from './identity/index.ts';
import { createScimHandlers } from './scim/index.ts';
import { createOrgSettingsHandlers } from './org-settings/index.ts';
import { createProductsHandlers } from './products/index.ts';
import { createApiKeysHandlers } from './api-keys/index.ts';
import { createDirectoryHandlers } from './directory/index.ts';
import { createSyncHandlers } from './sync/index.ts';
import { startMailSender, type MailSenderOptions } from './mail/sender.ts';

export interface CoreOptions {
  dataDir: string;
  secrets?: SecretStore;
  clock?: Clock;
  /** Seed the sample partner when the database has no organizations (the console's first run). */
  seedSample?: boolean;
  /** Called when the process should log something a person may need (never secrets). */
  log?: (line: string) => void;
  /**
   * The folder of bundled worker entries (sheet-worker.js, apply-worker.js, export-worker.js, directory-read-worker.js, sync-checkpoint-worker.js) in the Electron build;
   * absent, the workers start from their TypeScript sources beside the code that uses them.
   */
  workerDir?: URL;
  /** The mail outbox's sender loop (poll interval; enabled: false never delivers). */
  mail?: MailSenderOptions;
}

type Handler<M extends Method> = (input: ParsedIn<M>, ctx: CallContext) => Out<M> | Promise<Out<M>>;
export type Handlers = { [M in Method]: Handler<M> };

export interface Core {
  /** Validate the input against the contract, run the handler, validate the output. Never throws. */
  call(method: string, input: unknown, ctx?: CallContext): Promise<RpcResult>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  readonly db: Db;
  readonly deps: CoreDeps;
  profile(): Actor;
  close(): void;
}

export function createCore(options: CoreOptions): Core {
  const db = openDatabase(options.dataDir);
  const clock = options.clock ?? systemClock;
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const cb of listeners.get(event) ?? []) cb(payload);
  };
  const committed = (s: { orgIds: Set<string>; entities: Set<string> }) =>
    emit('data.changed', { orgIds: [...s.orgIds], entities: [...s.entities] });
  const mutations = createMutationRunner(db, () => clock.now(), committed);
  // One writer at a time: mutations queue behind a long write job (an import holds the writer from
  // BEGIN to COMMIT on its own connection); queries never wait.
  let writerQueue: Promise<unknown> = Promise.resolve();
  const withWriter = <T>(work: () => Promise<T> | T): Promise<T> => {
    const run = writerQueue.then(work, work);
    writerQueue = run.catch(() => undefined);
    return run;
  };
  // Every handler runs inside a call scope naming its method and input: sync records (console) or
  // replays (Portal) mutations by it.
  const invoke = (method: Method, input: unknown, ctx: CallContext, scope?: Partial<CallScope>) => {
    const handler = handlers[method] as (i: unknown, c: CallContext) => unknown;
    return callScope.run({ method, input, state: {}, ...scope }, () => handler(input, ctx));
  };
  const deps: CoreDeps = {
    db, mutations, clock, secrets: options.secrets ?? new KeyringSecretStore(), dataDir: options.dataDir, version: APP_VERSION,
    withWriter, mail: { kick: () => undefined, stop: () => undefined },
    // Long mutations (imports, bulk actions in the apply worker) report here; sync hears of them too.
    committed: (summary) => {
      deps.sync.longCommitted?.(summary, callScope.getStore());
      committed(summary);
    },
    sync: { start: () => undefined, stop: () => undefined },
    emit: (event, payload) => emit(event as EventName, payload as never),
    async dispatch(method, input, ctx, scope) {
      if (!isMethod(method)) throw new AppError('UNKNOWN_METHOD', 'common.unknown_method', { method: String(method).slice(0, 80) });
      const parsed = contract[method].input.safeParse(input ?? {});
      if (!parsed.success) throw fromZodError(parsed.error);
      return await invoke(method, parsed.data, ctx, { ...scope, input });
    },
    workers: {
      sheet: options.workerDir ? new URL('sheet-worker.js', options.workerDir) : undefined,
      apply: options.workerDir ? new URL('apply-worker.js', options.workerDir) : undefined,
      export: options.workerDir ? new URL('export-worker.js', options.workerDir) : undefined,
      directoryRead: options.workerDir ? new URL('directory-read-worker.js', options.workerDir) : undefined,
      syncCheckpoint: options.workerDir ? new URL('sync-checkpoint-worker.js', options.workerDir) : undefined,
    },
  };
  const profile = { current: loadOrCreateProfile(deps) };
  if (options.seedSample ?? true) seedSampleOnFirstRun(db, mutations, profile.current);

  const transfers = createTransferStore(options.dataDir);
  const jobs = createJobRegistry((job) => emit('job.progress', job), () => clock.now());

  const handlers = {
    ...createAppHandlers(deps, profile),
    ...createOrganizationHandlers(deps),
    ...createBrandingHandlers(deps),
    ...createAuditHandlers(deps),
    ...createUserHandlers(deps),
    ...createTransferAndJobHandlers(deps, { transfers, jobs }),
    ...createAuthHandlers(deps),
    ...createIdentityHandlers(deps),
    ...createScimHandlers(deps),
    ...createOrgSettingsHandlers(deps),
    ...createProductsHandlers(deps, { transfers }),
    ...createApiKeysHandlers(deps, { transfers }),
    ...createDirectoryHandlers(deps, jobs),
    ...createSyncHandlers(deps),
  } satisfies Handlers;
  deps.sync.start();

  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  deps.mail = startMailSender(deps, options.mail, log);

  return {
    db,
    deps,
    profile: () => profile.current,
    async call(method, input, ctx) {
      if (!isMethod(method)) {
        return { ok: false, error: new AppError('UNKNOWN_METHOD', 'common.unknown_method', { method: String(method).slice(0, 80) }).toShape() };
      }
      const spec = contract[method];
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: fromZodError(parsed.error).toShape() };
      try {
        const context = ctx ?? { actor: profile.current };
        const value = spec.kind === 'mutation'
          ? await withWriter(() => invoke(method, parsed.data, context, { input }))
          : await invoke(method, parsed.data, context);
        // Output is checked too: a domain bug is caught here, not in the UI.
        return { ok: true, value: spec.output.parse(value) };
      } catch (e) {
        if (!(e instanceof AppError)) log(`orgdesk: ${method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return { ok: false, error: toErrorShape(e) };
      }
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb as (p: unknown) => void);
      return () => set.delete(cb as (p: unknown) => void);
    },
    close() {
      deps.sync.stop();
      deps.mail.stop();
      jobs.cancelAll();
      db.close();
    },
  };
}
