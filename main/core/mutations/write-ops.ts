import type { CoreDeps } from '../handlers/context.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import { createOpApplier } from './apply-op.ts';
import { callScope } from './pipeline.ts';
import { runLongMutation, type LongOp } from './long-mutation.ts';

/** Above this many writes, a mutation runs as a long mutation in the apply worker. */
export const SHORT_MUTATION_OPS = 1000;

/**
 * Write decided ops as ONE named mutation: a short transaction on the core's connection when there
 * are a few, a long mutation in the apply worker when there are thousands. Either way all or
 * nothing. The caller holds the writer (a mutation-kind method). `ops` is consumed.
 */
export async function writeOps(deps: CoreDeps, name: string, actor: Actor, ops: LongOp[]): Promise<void> {
  if (ops.length === 0) return;
  // The Portal re-running a console's change keeps to the replay Writer (the console's bases, the
  // caller's tree, the push log in the same transaction), whatever its size: its input is at most
  // SHORT_MUTATION_OPS items (sync/server.ts), so this stays a bounded short transaction.
  if (ops.length <= SHORT_MUTATION_OPS || callScope.getStore()?.replay) {
    const apply = createOpApplier(deps.db, () => deps.clock.now());
    deps.mutations.run(name, actor, (w) => {
      for (const op of ops) apply(w, op);
    });
  } else {
    deps.committed(await runLongMutation({ dataDir: deps.dataDir, name, actor, at: deps.clock.now(), ops, workerUrl: deps.workers.apply }));
  }
  deps.mail.kick(); // a welcome op may have queued mail; a kick with nothing due costs one query
}
