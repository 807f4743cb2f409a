/**
 * Headless commands over the same core (`npm run cli -- <command>`):
 *   info                               data dir, schema, counts
 *   orgs                               the organization tree
 *   audit-export --org <id> [--out F]  the organization's audit log as CSV (stdout or file)
 *   call <method> [json]               any contract method, validated like the UI's calls
 *   import --org <id> <file> [--update] [--deactivate] [--restore] [--dry-run] [--all-or-nothing] [--json]
 *                                      bulk import of users: prints the result object
 *   export --org <id> --out <file.xlsx|file.csv> [--include-sub-orgs]
 * --data-dir DIR picks the database (default: the console's).
 * Exit codes: 0 ok, 1 the call failed (message on stderr), 2 bad usage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from './core/create-core.ts';
import { defaultDataDir } from './core/data-dir.ts';
import type { OrgSummary } from '../shared/model/organization.ts';
import type { Job } from '../shared/model/job.ts';
import type { ExportResult, ImportResult } from '../shared/model/user-import.ts';

const USAGE = 'Usage: npm run cli -- <info|orgs|audit-export --org ID [--out FILE]|call METHOD [JSON]|import --org ID FILE [--update] [--deactivate] [--restore] [--dry-run] [--all-or-nothing] [--json]|export --org ID --out FILE [--include-sub-orgs]> [--data-dir DIR]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string' }, org: { type: 'string' }, out: { type: 'string' },
    update: { type: 'boolean', default: false }, deactivate: { type: 'boolean', default: false },
    restore: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false },
    'all-or-nothing': { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    'include-sub-orgs': { type: 'boolean', default: false },
  },
});
const [command, ...rest] = positionals;
if (!command) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const core = createCore({ dataDir: values['data-dir'] ?? defaultDataDir(), seedSample: false });

async function call(method: string, input: unknown): Promise<unknown> {
  const result = await core.call(method, input);
  if (!result.ok) {
    const fields = Object.entries(result.error.fields ?? {}).map(([f, issues]) => `  ${f}: ${issues.map((i) => i.key).join(', ')}`);
    process.stderr.write(`${result.error.code}: ${result.error.message}\n${fields.join('\n')}${fields.length ? '\n' : ''}`);
    core.close();
    process.exit(1);
  }
  return result.value;
}

/** Follow a job to its end, printing progress on stderr; a failed or cancelled job exits 1. */
function followJob(jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    const stop = core.on('job.progress', (job) => {
      if (job.id !== jobId) return;
      if (job.state === 'running') {
        process.stderr.write(`${job.phase} ${job.done}/${job.total}\n`);
        return;
      }
      stop();
      if (job.state !== 'done') {
        process.stderr.write(`${job.state === 'cancelled' ? 'Cancelled' : job.error?.code ?? 'FAILED'}: ${job.error?.message ?? 'nothing was changed.'}\n`);
        core.close();
        process.exit(1);
      }
      resolve(job);
    });
  });
}

const TYPE_LABEL = { partner: 'Partner', client: 'Client', suborg: 'Sub-organization' } as const;

try {
  switch (command) {
    case 'info':
      process.stdout.write(`${JSON.stringify(await call('app.info', {}), null, 2)}\n`);
      break;
    case 'orgs': {
      const { items } = (await call('org.tree', {})) as { items: OrgSummary[] };
      const children = new Map<string | null, OrgSummary[]>();
      for (const o of items) children.set(o.parentId, [...(children.get(o.parentId) ?? []), o]);
      const print = (parent: string | null, depth: number) => {
        for (const o of children.get(parent) ?? []) {
          process.stdout.write(`${'  '.repeat(depth)}${o.name}  [${TYPE_LABEL[o.type]}]  ${o.id}\n`);
          print(o.id, depth + 1);
        }
      };
      print(null, 0);
      break;
    }
    case 'audit-export': {
      if (!values.org) {
        process.stderr.write(`audit-export needs --org <organization id>.\n${USAGE}\n`);
        process.exit(2);
      }
      const { csv, rows } = (await call('audit.exportCsv', { orgId: values.org })) as { csv: string; rows: number };
      if (values.out) {
        writeFileSync(values.out, csv);
        process.stderr.write(`Wrote ${rows} rows to ${values.out}\n`);
      } else process.stdout.write(csv);
      break;
    }
    case 'call': {
      const [method, json] = rest;
      if (!method) {
        process.stderr.write(`${USAGE}\n`);
        process.exit(2);
      }
      let input: unknown = {};
      try {
        input = json ? JSON.parse(json) : {};
      } catch {
        process.stderr.write('The input is not valid JSON.\n');
        process.exit(2);
      }
      process.stdout.write(`${JSON.stringify(await call(method, input), null, 2)}\n`);
      break;
    }
    case 'import': {
      const [file] = rest;
      if (!values.org || !file) {
        process.stderr.write(`import needs --org <organization id> and a file.\n${USAGE}\n`);
        process.exit(2);
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        process.stderr.write(`Cannot read ${file}.\n`);
        process.exit(2);
      }
      // The same path as the console: upload in chunks, start the job, follow its progress.
      const { fileId, chunkBytes } = (await call('files.begin', { filename: basename(file), bytes: bytes.length })) as { fileId: string; chunkBytes: number };
      for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
        await call('files.append', { fileId, offset, base64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
      }
      const options = {
        update: values.update, deactivate: values.deactivate, restore: values.restore, dryRun: values['dry-run'], allOrNothing: values['all-or-nothing'],
      };
      const job = await followJob(((await call('users.importStart', { orgId: values.org, fileId, filename: basename(file), options })) as { jobId: string }).jobId);
      const result = job.result as ImportResult;
      if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const { preview: _preview, errorMessages, ...summary } = result;
        process.stdout.write(`${JSON.stringify({ ...summary, errorMessages }, null, 2)}\n`);
      }
      break;
    }
    case 'export': {
      if (!values.org || !values.out) {
        process.stderr.write(`export needs --org <organization id> and --out <file.xlsx|file.csv>.\n${USAGE}\n`);
        process.exit(2);
      }
      const format = values.out.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx';
      const job = await followJob(((await call('users.exportStart', { orgId: values.org, includeSubOrgs: values['include-sub-orgs'], format })) as { jobId: string }).jobId);
      const { fileId, rows } = job.result as ExportResult;
      const parts: Buffer[] = [];
      for (let offset = 0; ; ) {
        const chunk = (await call('files.read', { fileId, offset, length: 4 * 1024 * 1024 })) as { base64: string; eof: boolean };
        const b = Buffer.from(chunk.base64, 'base64');
        parts.push(b);
        offset += b.length;
        if (chunk.eof) break;
      }
      writeFileSync(values.out, Buffer.concat(parts));
      process.stderr.write(`Wrote ${rows} users to ${values.out}\n`);
      break;
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
      process.exit(2);
  }
} finally {
  core.close();
}
