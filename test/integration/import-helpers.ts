import { readFileSync } from 'node:fs';
import type { Core } from '../../main/core/create-core.ts';
import type { Job } from '../../shared/model/job.ts';
import type { ImportResult } from '../../shared/model/user-import.ts';
import { ok } from './helpers.ts';

/** Upload bytes through the contract's files.* methods, as the console does. */
export async function upload(core: Pick<Core, 'call'>, filename: string, bytes: Buffer): Promise<string> {
  const { fileId, chunkBytes } = await ok(core, 'files.begin', { filename, bytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    await ok(core, 'files.append', { fileId, offset, base64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
  }
  return fileId;
}

/** Wait for a job's final state through job.progress events. */
export function finalState(core: Pick<Core, 'on' | 'call'>, jobId: string, onProgress?: (job: Job) => void): Promise<Job> {
  return new Promise((resolve) => {
    const stop = core.on('job.progress', (job) => {
      if (job.id !== jobId) return;
      onProgress?.(job);
      if (job.state !== 'running') {
        stop();
        resolve(job);
      }
    });
    // It may have finished before we subscribed.
    void core.call('jobs.get', { jobId }).then((r) => {
      if (r.ok && (r.value as Job).state !== 'running') {
        stop();
        resolve(r.value as Job);
      }
    });
  });
}

export type Options = Partial<{ update: boolean; deactivate: boolean; restore: boolean; dryRun: boolean; allOrNothing: boolean }>;

export async function runImport(core: Core, orgId: string, filename: string, content: string | Buffer, options: Options = {}): Promise<Job> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const fileId = await upload(core, filename, bytes);
  const { jobId } = await ok(core, 'users.importStart', { orgId, fileId, filename, options, language: 'en' });
  return finalState(core, jobId);
}

export async function importResult(core: Core, orgId: string, filename: string, content: string | Buffer, options: Options = {}): Promise<ImportResult> {
  const job = await runImport(core, orgId, filename, content, options);
  if (job.state !== 'done') throw new Error(`import ${job.state}: ${JSON.stringify(job.error)}`);
  return job.result as ImportResult;
}

/** Read a file the core produced (export, error report) through files.read. */
export async function download(core: Pick<Core, 'call'>, fileId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = await ok(core, 'files.read', { fileId, offset, length: 4 * 1024 * 1024 });
    const bytes = Buffer.from(chunk.base64, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.eof) return Buffer.concat(parts);
  }
}

export const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
