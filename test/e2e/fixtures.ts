/**
 * A real console per test: the core in its worker thread on a fresh temp data dir, the loopback
 * host serving the built renderer, and a page opened on the host's URL (token in the fragment).
 */
import { pngImage } from '../fixtures/images.ts';
import { test as base, expect, type Download, type Locator, type Page } from '@playwright/test';
import * as yauzl from 'yauzl';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCoreWorker, type CoreClient } from '../../main/core/worker/core-client.ts';
import { startHost, type Host } from '../../main/host/host-server.ts';
import { startPortal, type Portal } from '../../main/portal/portal-server.ts';
import { startSmtp, type TestSmtp } from '../fixtures/auth/smtp.ts';
import type { In, Method, Out } from '../../shared/contract.ts';
import type { Job } from '../../shared/model/job.ts';
import type { ImportResult } from '../../shared/model/user-import.ts';

const staticDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface Console {
  core: CoreClient;
  host: Host;
  dataDir: string;
  /** Call the core directly (arrange data, check what was stored), throwing on an error result. */
  call<M extends Method>(method: M, input: In<M>): Promise<Out<M>>;
}

export const test = base.extend<{ console: Console; app: Page; mailbox: TestSmtp; portal: Portal }>({
  // Playwright needs the (empty) fixture object pattern here.
  // eslint-disable-next-line no-empty-pattern
  console: async ({}, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-'));
    const core = await startCoreWorker({ dataDir });
    const host = await startHost({ core, staticDir });
    const call = async <M extends Method>(method: M, input: In<M>): Promise<Out<M>> => {
      const result = await core.call(method, input);
      if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
      return result.value as Out<M>;
    };
    await use({ core, host, dataDir, call });
    await host.close();
    await core.close();
    await rm(dataDir, { recursive: true, force: true });
  },
  /** A real SMTP server on 127.0.0.1 (random port) that keeps every message it receives, parsed. */
  // eslint-disable-next-line no-empty-pattern
  mailbox: async ({}, use) => {
    const smtp = await startSmtp();
    await use(smtp);
    await smtp.close();
  },
  /** The Portal's end-user pages, over the same core as the console (one database, as in production). */
  portal: async ({ console: c }, use) => {
    const portal = await startPortal({ core: c.core });
    await use(portal);
    await portal.close();
  },
  /** The console open in the browser, on the first partner's General tab. */
  app: async ({ page, console: c }, use) => {
    await page.goto(c.host.url);
    await expect(page.getByRole('tree', { name: 'Organization tree' })).toBeVisible();
    await use(page);
  },
});

export { expect };

/** Find an organization by name through the core. */
export async function orgByName(c: Console, name: string) {
  const { items } = await c.call('org.tree', {});
  const org = items.find((o) => o.name === name);
  if (!org) throw new Error(`no organization named ${name}`);
  return org;
}

/** Switch organization the way a person does: Ctrl+K, type, Enter. */
export async function switchTo(page: Page, query: string, expectedName: string) {
  await page.keyboard.press('Control+k');
  const input = page.getByRole('combobox', { name: 'Search organizations…' });
  await expect(input).toBeFocused();
  await input.fill(query);
  await expect(page.getByRole('listbox').getByRole('option').first()).toContainText(expectedName);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: expectedName })).toBeVisible();
}

export const PNG_2X2 = pngImage(2, 2, [220, 40, 60]);

export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
);

// --- users -------------------------------------------------------------------------------------

/** Send bytes to the core the way the renderer does (files.begin, then base64 chunks). */
export async function uploadToCore(c: Console, filename: string, bytes: Buffer): Promise<string> {
  const { fileId, chunkBytes } = await c.call('files.begin', { filename, bytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    await c.call('files.append', { fileId, offset, base64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
  }
  return fileId;
}

/** Poll a job until it ends. */
export async function waitForJob(c: Console, jobId: string, timeoutMs = 60_000): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await c.call('jobs.get', { jobId });
    if (job.state !== 'running') return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A users CSV (header Name,Email,Role) for the given rows. */
export function usersCsv(rows: readonly (readonly string[])[], header: readonly string[] = ['Name', 'Email', 'Role']): Buffer {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from([header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n');
}

/**
 * Test-only bulk path: many users arranged through the core's own import job (one transaction),
 * far faster than one users.create per user.
 */
export async function seedUsers(c: Console, orgId: string, rows: readonly (readonly string[])[]): Promise<ImportResult> {
  const fileId = await uploadToCore(c, 'seed.csv', usersCsv(rows));
  const { jobId } = await c.call('users.importStart', { orgId, fileId, filename: 'seed.csv', options: { update: false, deactivate: false, restore: false, dryRun: false, allOrNothing: false }, language: 'en' });
  const job = await waitForJob(c, jobId);
  if (job.state !== 'done') throw new Error(`seeding users: ${job.state} ${JSON.stringify(job.error)}`);
  const result = job.result as ImportResult;
  if (result.errors.length) throw new Error(`seeding users: rows ${result.errors.slice(0, 5).join(', ')} failed: ${JSON.stringify(result.errorMessages).slice(0, 400)}`);
  return result;
}

/** Open an organization's Users tab and wait for its table (or its empty state). */
export async function openUsers(page: Page, query: string, name: string) {
  await switchTo(page, query, name);
  await page.getByRole('tab', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Users/ })).toBeVisible();
}

/** Drop a file on an element the way the OS does: dragenter, dragover, drop with a DataTransfer holding a File. */
export async function dropFileOn(page: Page, target: Locator, name: string, type: string, bytes: Buffer, beforeDrop?: () => Promise<void>) {
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name, type }) => {
      const data = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      // Runs in the page (this file is type-checked without the DOM lib).
      const DT = (globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } }).DataTransfer;
      const dt = new DT();
      dt.items.add(new File([data], name, { type }));
      return dt;
    },
    { b64: bytes.toString('base64'), name, type },
  );
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await beforeDrop?.();
  await target.dispatchEvent('drop', { dataTransfer });
}

/** The text of every file in a zip (an .xlsx: sheets, shared strings, ...), by name. */
export async function zipTexts(zip: Buffer): Promise<Map<string, string>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out = new Map<string, string>();
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        file.once('entry', resolve);
        file.once('end', () => resolve(null));
        file.once('error', reject);
        file.readEntry();
      });
      if (!entry) return out;
      if (entry.fileName.endsWith('/')) continue;
      const stream = await file.openReadStreamPromise(entry);
      const parts: Buffer[] = [];
      for await (const chunk of stream) parts.push(chunk as Buffer);
      out.set(entry.fileName, Buffer.concat(parts).toString('utf8'));
    }
  } finally {
    file.close();
  }
}

/** The cell texts of an .xlsx, roughly: every sheet and the shared strings, XML entities decoded. */
export async function xlsxText(zip: Buffer): Promise<string> {
  const texts = await zipTexts(zip);
  const xml = [...texts].filter(([name]) => name.startsWith('xl/worksheets/') || name === 'xl/sharedStrings.xml').map(([, t]) => t).join('\n');
  return xml.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A downloaded file's bytes. */
export async function downloadBytes(download: Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
