/** What worker threads need of sync-batch.ts, without zod (see organization-values.ts). */

/**
 * Ops per outbox entry, hence per Portal transaction: each op is checked and written on its own
 * savepoint, ~0.2 ms on this machine, so 250 keep one chunk's transaction near 50 ms and the
 * Portal's thread free for SCIM, REST and other consoles between chunks (1,000 held it ~200 ms).
 */
export const SYNC_CHUNK_OPS = 250;
