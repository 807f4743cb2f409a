/** Long mutations that travel (issue #6): merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation } from './contract-kit.ts';
import { ApplyBatchInput } from './model/sync-batch.ts';

export const syncBatchContract = {
  /**
   * One chunk of a console's long mutation (an import, a bulk action), re-run by the Portal's sync
   * push with every op checked by the users rules. Refused outside a sync re-run: it is not an API
   * for windows or scripts.
   */
  'users.applyBatch': mutation(ApplyBatchInput, z.object({ applied: z.number().int(), rejected: z.number().int() })),
};
