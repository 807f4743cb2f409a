/**
 * Builders for the files the io tests need: zips written byte by byte (so a test can make a
 * central directory lie, or a zip bomb, without any library's help) and CFB containers (the
 * format of .xls and of password-protected .xlsx).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** Content; or `deflated` with the real inflated size and CRC for bombs built in pieces. */
  data?: Buffer | string;
  deflated?: { bytes: Buffer; size: number; crc: number };
  store?: boolean;
  /** Write this uncompressed size in the headers instead of the real one (a lying zip). */
  declaredSize?: number;
}

export function buildZip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    let bytes: Buffer;
    let size: number;
    let crc: number;
    let method: number;
    if (p.deflated) {
      ({ bytes, size, crc } = p.deflated);
      method = 8;
    } else {
      const raw = typeof p.data === 'string' ? Buffer.from(p.data, 'utf8') : p.data ?? Buffer.alloc(0);
      size = raw.length;
      crc = crc32(raw);
      bytes = p.store ? raw : deflateRawSync(raw);
      method = p.store ? 0 : 8;
    }
    const declared = p.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(bytes.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, bytes);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(0, 12);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(bytes.length, 20);
    cd.writeUInt32LE(declared, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += 30 + name.length + bytes.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBuf, eocd]);
}

/** Deflate `prefix + filler * n + suffix` without holding it in memory: the zip-bomb payload. */
export async function deflateRepeated(prefix: string, filler: string, repeat: number, suffix: string): Promise<{ bytes: Buffer; size: number; crc: number }> {
  const d = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((r) => d.on('end', r));
  const fill = Buffer.from(filler.repeat(Math.max(1, Math.floor((1 << 20) / filler.length))));
  const pre = Buffer.from(prefix);
  const suf = Buffer.from(suffix);
  let crc = crc32(pre);
  let size = pre.length;
  d.write(pre);
  const total = filler.length * repeat;
  for (let written = 0; written < total;) {
    const chunk = fill.subarray(0, Math.min(fill.length, total - written));
    crc = crc32(chunk, crc);
    size += chunk.length;
    written += chunk.length;
    if (!d.write(chunk)) await new Promise((r) => d.once('drain', r));
  }
  crc = crc32(suf, crc);
  size += suf.length;
  d.end(suf);
  await done;
  return { bytes: Buffer.concat(out), size, crc };
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The parts of a minimal xlsx around a given sheet XML (and optional shared strings / styles). */
export function xlsxParts(sheetXml: string | ZipPart, opts: { sharedStrings?: string | ZipPart; styles?: string; sheets?: string[] } = {}): ZipPart[] {
  const sheets = opts.sheets ?? ['Users'];
  const parts: ZipPart[] = [
    { name: '[Content_Types].xml', data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>` },
    { name: '_rels/.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${RNS}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${RNS}"><sheets>${sheets.map((s, i) => `<sheet name="${s}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${RNS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rIdS" Type="${RNS}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="${RNS}/styles" Target="styles.xml"/></Relationships>` },
  ];
  if (opts.styles) parts.push({ name: 'xl/styles.xml', data: opts.styles });
  if (opts.sharedStrings) parts.push(typeof opts.sharedStrings === 'string' ? { name: 'xl/sharedStrings.xml', data: opts.sharedStrings } : opts.sharedStrings);
  parts.push(typeof sheetXml === 'string' ? { name: 'xl/worksheets/sheet1.xml', data: sheetXml } : sheetXml);
  for (let i = 1; i < sheets.length; i++) parts.push({ name: `xl/worksheets/sheet${i + 1}.xml`, data: `<worksheet xmlns="${NS}"><sheetData/></worksheet>` });
  return parts;
}

export const sheetXml = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;
export const inlineRow = (r: number, values: string[]) =>
  `<row r="${r}">${values.map((v, i) => `<c r="${String.fromCharCode(65 + i)}${r}" t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;

/** A CFB (OLE2) container holding empty streams with these names, as Office would. */
export function buildCfb(streamNames: readonly string[]): Buffer {
  const SECTOR = 512;
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  const FATSECT = 0xfffffffd;
  const entries = ['Root Entry', ...streamNames];
  const dirSectors = Math.ceil(entries.length / 4);
  const header = Buffer.alloc(SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // FAT sectors
  header.writeUInt32LE(1, 0x30); // first directory sector
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(END, 0x3c);
  header.writeUInt32LE(END, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);
  const fat = Buffer.alloc(SECTOR, 0xff);
  fat.writeUInt32LE(FATSECT, 0);
  for (let s = 0; s < dirSectors; s++) fat.writeUInt32LE(s === dirSectors - 1 ? END : s + 2, (s + 1) * 4);
  const dir = Buffer.alloc(dirSectors * SECTOR);
  entries.forEach((name, i) => {
    const off = i * 128;
    const n = Buffer.from(`${name}\0`, 'utf16le');
    n.copy(dir, off);
    dir.writeUInt16LE(n.length, off + 0x40);
    dir[off + 0x42] = i === 0 ? 5 : 2;
    dir[off + 0x43] = 1;
    dir.writeUInt32LE(FREE, off + 0x44); // left sibling
    dir.writeUInt32LE(i > 0 && i < entries.length - 1 ? i + 1 : FREE, off + 0x48); // right sibling
    dir.writeUInt32LE(i === 0 && entries.length > 1 ? 1 : FREE, off + 0x4c); // child
    dir.writeUInt32LE(END, off + 0x74);
  });
  return Buffer.concat([header, fat, dir]);
}

export interface TempDir {
  path: string;
  file(name: string, data: Buffer | string): string;
  remove(): void;
}

export function tempDir(prefix = 'orgdesk-io-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file(name, data) {
      const p = join(path, name);
      writeFileSync(p, data);
      return p;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Files in the OS temp dir whose names exceljs's `tmp` or we could have left behind. */
export function tempEntries(): Set<string> {
  return new Set(readdirSync(tmpdir()));
}

export const FIXTURES = new URL('../../fixtures/spreadsheets/', import.meta.url);
export const fixture = (name: string) => new URL(name, FIXTURES).pathname;
