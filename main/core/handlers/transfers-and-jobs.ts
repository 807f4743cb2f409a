import type { CallContext, CoreDeps } from './context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import type { TransferStore } from '../transfers/transfer-store.ts';
import { importUsers } from '../user-sheets/import-users.ts';
import { exportUsers, writeTemplate } from '../user-sheets/export-users.ts';

export interface BulkServices {
  transfers: TransferStore;
  jobs: JobRegistry;
}

/** Files in and out of the core, long jobs, and the users spreadsheet import/export built on them. */
export function createTransferAndJobHandlers(deps: CoreDeps, bulk: BulkServices) {
  const { transfers, jobs } = bulk;
  return {
    'files.begin': (input: ParsedIn<'files.begin'>): Out<'files.begin'> => transfers.begin(input.filename, input.bytes),
    'files.append': (input: ParsedIn<'files.append'>): Out<'files.append'> => transfers.append(input.fileId, input.offset, input.base64),
    'files.read': (input: ParsedIn<'files.read'>): Out<'files.read'> => transfers.read(input.fileId, input.offset, input.length),
    'files.discard': (input: ParsedIn<'files.discard'>): Out<'files.discard'> => {
      transfers.discard(input.fileId);
      return { ok: true };
    },

    'jobs.get': (input: ParsedIn<'jobs.get'>): Out<'jobs.get'> => jobs.get(input.jobId),
    'jobs.cancel': (input: ParsedIn<'jobs.cancel'>): Out<'jobs.cancel'> => jobs.cancel(input.jobId),

    'users.importStart': (input: ParsedIn<'users.importStart'>, ctx: CallContext): Out<'users.importStart'> => {
      const file = transfers.completed(input.fileId);
      const job = jobs.start('users.import', async (jobCtx) => {
        try {
          return await importUsers(
            { deps, transfers },
            { orgId: input.orgId, file: { path: file.path, filename: input.filename ?? file.filename }, options: input.options, language: input.language, actor: ctx.actor },
            jobCtx,
          );
        } finally {
          transfers.discard(input.fileId);
        }
      });
      return { jobId: job.id };
    },

    'users.exportStart': (input: ParsedIn<'users.exportStart'>): Out<'users.exportStart'> => {
      const job = jobs.start('users.export', (jobCtx) => exportUsers(deps, transfers, input, jobCtx));
      return { jobId: job.id };
    },

    'users.template': async (input: ParsedIn<'users.template'>): Promise<Out<'users.template'>> =>
      writeTemplate(deps, transfers, input.format, input.language),
  };
}
