/**
 * A real console per test: the core in its worker thread on a fresh temp data dir, the loopback
 * host serving the built renderer, and a page opened on the host's URL (token in the fragment).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { startCoreWorker, type CoreClient } from '../../main/core/worker/core-client.ts';
import { startHost, type Host } from '../../main/host/host-server.ts';
import type { In, Method, Out } from '../../shared/contract.ts';

const staticDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface Console {
  core: CoreClient;
  host: Host;
  dataDir: string;
  /** Call the core directly (arrange data, check what was stored), throwing on an error result. */
  call<M extends Method>(method: M, input: In<M>): Promise<Out<M>>;
}

export const test = base.extend<{ console: Console; app: Page }>({
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

/** A real PNG (8-bit RGBA), built with zlib: signature, IHDR, IDAT, IEND with their CRCs. */
export function makePng(width: number, height: number, rgba: [number, number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 4).map((_, i) => rgba[i % 4]!)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const PNG_2X2 = makePng(2, 2, [220, 40, 60, 255]);

export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
);
