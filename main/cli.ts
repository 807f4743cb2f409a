/**
 * Headless commands over the same core (`npm run cli -- <command>`):
 *   info                               data dir, schema, counts
 *   orgs                               the organization tree
 *   audit-export --org <id> [--out F]  the organization's audit log as CSV (stdout or file)
 *   call <method> [json]               any contract method, validated like the UI's calls
 * --data-dir DIR picks the database (default: the console's).
 * Exit codes: 0 ok, 1 the call failed (message on stderr), 2 bad usage.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCore } from './core/create-core.ts';
import { defaultDataDir } from './core/data-dir.ts';
import type { OrgSummary } from '../shared/model/organization.ts';

const USAGE = 'Usage: npm run cli -- <info|orgs|audit-export --org ID [--out FILE]|call METHOD [JSON]> [--data-dir DIR]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'data-dir': { type: 'string' }, org: { type: 'string' }, out: { type: 'string' } },
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
    default:
      process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
      process.exit(2);
  }
} finally {
  core.close();
}
