/**
 * What a file is, by its content, never by its name: a zip (xlsx / ods / other), a CFB container
 * (legacy .xls, or a password-protected OOXML file), text (and its encoding), or something that is
 * not a spreadsheet at all (PDF, images, archives, programs, binary data).
 */
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import type { FileHandle } from 'node:fs/promises';
import { SheetError } from './sheet-error.ts';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type HeadKind =
  | { kind: 'zip' }
  | { kind: 'cfb' }
  | { kind: 'text'; encoding: TextEncodingName | 'utf-8-or-1252'; bomLength: number }
  | { kind: 'other'; detected: string | null };

const SIGNATURES: { bytes: number[]; offset?: number; detected: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], detected: 'PDF' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], detected: 'PNG' },
  { bytes: [0xff, 0xd8, 0xff], detected: 'JPEG' },
  { bytes: [0x47, 0x49, 0x46, 0x38], detected: 'GIF' },
  { bytes: [0x57, 0x45, 0x42, 0x50], offset: 8, detected: 'WebP' },
  { bytes: [0x1f, 0x8b], detected: 'GZIP' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], detected: '7-Zip' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], detected: 'RAR' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], detected: 'ELF' },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], detected: 'RTF' },
];

const startsWith = (head: Uint8Array, bytes: number[], offset = 0) =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);

/** Classify the first bytes of a file (64 KB is plenty). */
export function sniffHead(head: Uint8Array): HeadKind {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return { kind: 'zip' };
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { kind: 'cfb' };
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return markup(head, 3) ?? { kind: 'text', encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { kind: 'text', encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { kind: 'text', encoding: 'utf-16be', bomLength: 2 };
  for (const s of SIGNATURES) if (startsWith(head, s.bytes, s.offset)) return { kind: 'other', detected: s.detected };

  let nul = 0;
  let nulEven = 0;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0) {
      nul++;
      if (i % 2 === 0) nulEven++;
    } else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1a && b !== 0x1b)) control++;
  }
  // UTF-16 without a BOM: text where every other byte is zero.
  if (head.length >= 4 && nul > head.length * 0.3) {
    if (nulEven < nul * 0.05 && control === 0) return { kind: 'text', encoding: 'utf-16le', bomLength: 0 };
    if (nulEven > nul * 0.95 && control === 0) return { kind: 'text', encoding: 'utf-16be', bomLength: 0 };
  }
  if (nul > 0 || control > Math.max(2, head.length / 1000)) return { kind: 'other', detected: null };
  return markup(head, 0) ?? { kind: 'text', encoding: 'utf-8-or-1252', bomLength: 0 };
}

/** XML or HTML saved under a spreadsheet name (flat ODS, Excel 2003 XML, web "xls" exports). */
function markup(head: Uint8Array, from: number): HeadKind | null {
  let i = from;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] !== 0x3c /* < */) return null;
  const start = new TextDecoder('latin1').decode(head.subarray(i, i + 512)).toLowerCase();
  if (/^<(?:!doctype html|html|table|head|body|meta)\b/.test(start)) return { kind: 'other', detected: 'HTML' };
  if (/^<(?:\?xml|[a-z_][\w.:-]*[\s>])/.test(start)) return { kind: 'other', detected: 'XML' };
  return null;
}

export type ZipKind = 'xlsx' | 'xlsb' | 'ods' | 'other-office' | 'other-zip';

/** Tell an xlsx from an ods or another zip by its parts (names are compared case-insensitively). */
export function classifyZip(names: readonly string[], mimetype: string | null): ZipKind {
  const lower = new Set(names.map((n) => n.toLowerCase()));
  if (mimetype !== null) {
    if (mimetype.trim().startsWith('application/vnd.oasis.opendocument.spreadsheet')) return 'ods';
    if (mimetype.trim().startsWith('application/vnd.oasis.opendocument')) return 'other-office';
  }
  if (lower.has('[content_types].xml')) {
    if ([...lower].some((n) => n.endsWith('.bin') && n.startsWith('xl/') && n.includes('workbook'))) return 'xlsb';
    if ([...lower].some((n) => n.startsWith('xl/'))) return 'xlsx';
    return 'other-office';
  }
  if (lower.has('content.xml') && lower.has('meta-inf/manifest.xml')) return 'other-office';
  return 'other-zip';
}

// --- CFB (Compound File Binary: .xls, .doc, and encrypted OOXML) -----------------------------

const END_OF_CHAIN = 0xfffffffe;

/** The names of the entries in a CFB directory; bounded work, whatever the file claims. */
export async function cfbEntryNames(fh: FileHandle, fileSize: number): Promise<string[]> {
  const header = Buffer.alloc(512);
  await fh.read(header, 0, 512, 0);
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) throw new Error('bad sector size');
  const sectorSize = 1 << shift;
  const maxSectors = Math.ceil(fileSize / sectorSize) + 1;
  const readSector = async (n: number): Promise<Buffer> => {
    if (n >= maxSectors) throw new Error('sector out of range');
    const buf = Buffer.alloc(sectorSize);
    const { bytesRead } = await fh.read(buf, 0, sectorSize, (n + 1) * sectorSize);
    if (bytesRead < sectorSize) throw new Error('the file ends early');
    return buf;
  };
  // FAT sector numbers: 109 in the header, the rest in chained DIFAT sectors.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = header.readUInt32LE(0x4c + i * 4);
    if (s < END_OF_CHAIN - 4) fatSectors.push(s);
  }
  let difat = header.readUInt32LE(0x44);
  for (let guard = 0; difat < END_OF_CHAIN - 4 && guard < maxSectors; guard++) {
    const sec = await readSector(difat);
    const per = sectorSize / 4 - 1;
    for (let i = 0; i < per; i++) {
      const s = sec.readUInt32LE(i * 4);
      if (s < END_OF_CHAIN - 4) fatSectors.push(s);
    }
    difat = sec.readUInt32LE(per * 4);
  }
  const fat: number[] = [];
  for (const s of fatSectors.slice(0, maxSectors)) {
    const sec = await readSector(s);
    for (let i = 0; i < sectorSize / 4; i++) fat.push(sec.readUInt32LE(i * 4));
  }
  const names: string[] = [];
  let dir = header.readUInt32LE(0x30);
  for (let guard = 0; dir < END_OF_CHAIN - 4 && guard < maxSectors && names.length < 10_000; guard++) {
    const sec = await readSector(dir);
    for (let off = 0; off < sectorSize; off += 128) {
      const len = sec.readUInt16LE(off + 0x40);
      const type = sec[off + 0x42];
      if (type === 0 || len < 2 || len > 64) continue;
      names.push(sec.toString('utf16le', off, off + len - 2));
    }
    dir = fat[dir] ?? END_OF_CHAIN;
  }
  return names;
}

/** Why a CFB file is refused: encrypted OOXML, legacy .xls, or another Office document. */
export function cfbRefusal(names: readonly string[]): SheetError {
  const set = new Set(names.map((n) => n.toLowerCase()));
  if (set.has('encryptioninfo') || set.has('encryptedpackage')) return new SheetError('PASSWORD_PROTECTED', 'password_protected');
  if (set.has('workbook') || set.has('book')) return new SheetError('LEGACY_XLS', 'legacy_xls');
  return new SheetError('OTHER_OFFICE', 'other_office');
}

export interface SniffedFile {
  size: number;
  head: HeadKind;
}

/** Open a file, check its size against the limit, and classify it. CFB files are refused here. */
export async function sniffFile(path: string, maxFileBytes: number): Promise<SniffedFile> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    throw new SheetError('UNREADABLE', 'unreadable');
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) throw new SheetError('EMPTY', 'empty');
    if (size > maxFileBytes) {
      throw new SheetError('TOO_LARGE', 'too_large', { size: mbText(size), max: mbText(maxFileBytes) });
    }
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await fh.read(head, 0, head.length, 0);
    const kind = sniffHead(head);
    if (kind.kind === 'cfb') {
      let names: string[];
      try {
        names = await cfbEntryNames(fh, size);
      } catch {
        throw new SheetError('BROKEN', 'broken', { detail: 'the Office container is damaged' });
      }
      throw cfbRefusal(names);
    }
    if (kind.kind === 'other') {
      throw kind.detected
        ? new SheetError('NOT_SPREADSHEET', 'not_spreadsheet', { detected: kind.detected })
        : new SheetError('NOT_SPREADSHEET', 'not_spreadsheet_binary');
    }
    return { size, head: kind };
  } finally {
    await fh.close();
  }
}

const mbText = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
