/**
 * Opening an .xlsx safely (research io.md §5.2-5.3). The central directory is checked first
 * (entry count, declared sizes, compression ratio) in milliseconds; then only the needed parts
 * are inflated, through yauzl, which fails a part as soon as it inflates past its declared size,
 * and under a running cap of our own. Nothing is written to disk.
 */
import { TextDecoder } from 'node:util';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { UserSheetLimits } from '../../../shared/rules/user-sheet.ts';
import { SheetError, mb } from './sheet-error.ts';

export interface GuardedZip {
  /** Entry names as stored. */
  readonly names: string[];
  /** The entry for a part name (case-insensitive, leading '/' ignored), or undefined. */
  entry(name: string): Entry | undefined;
  /** Inflate a small part to text (UTF-8), whole. */
  readText(name: string): Promise<string | null>;
  /** Inflate a part as a stream of text chunks; `onBytes` gets the inflated byte count so far. */
  textChunks(name: string, onBytes?: (inflated: number) => void): AsyncGenerator<string>;
  close(): void;
}

const openZip = (path: string) =>
  new Promise<ZipFile>((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    );
  });

const readEntries = (zip: ZipFile, max: number) =>
  new Promise<Entry[]>((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      if (entries.length > max) reject(new Error('too many entries'));
      else zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });

const brokenZip = (e: unknown) =>
  e instanceof SheetError ? e : new SheetError('BROKEN', 'broken', { detail: `the ZIP structure is invalid: ${e instanceof Error ? e.message : String(e)}` });

const norm = (name: string) => name.replace(/^\/+/, '').toLowerCase();

export async function openGuardedZip(path: string, limits: UserSheetLimits): Promise<GuardedZip> {
  const z = limits.zip;
  let zip: ZipFile;
  try {
    zip = await openZip(path);
  } catch (e) {
    throw brokenZip(e);
  }
  try {
    if (zip.entryCount > z.maxEntries) {
      throw new SheetError('ZIP_BOMB', 'zip_too_many_parts', { count: zip.entryCount, max: z.maxEntries });
    }
    let entries: Entry[];
    try {
      entries = await readEntries(zip, z.maxEntries);
    } catch (e) {
      throw brokenZip(e);
    }
    let total = 0;
    for (const e of entries) {
      if (e.fileName.endsWith('/')) continue;
      total += e.uncompressedSize;
      if (e.uncompressedSize > z.maxEntryBytes || total > z.maxTotalBytes) {
        throw new SheetError('ZIP_BOMB', 'zip_too_big', { max: mb(Math.min(z.maxTotalBytes, z.maxEntryBytes)) });
      }
      if (e.uncompressedSize > z.ratioExemptBytes && e.compressedSize / e.uncompressedSize < z.minInflateRatio) {
        throw new SheetError('ZIP_BOMB', 'zip_bomb', {
          part: e.fileName, size: mb(e.uncompressedSize), compressed: mb(e.compressedSize),
        });
      }
    }
    const byName = new Map(entries.map((e) => [norm(e.fileName), e]));
    let inflatedTotal = 0;

    const openStream = (entry: Entry) =>
      new Promise<NodeJS.ReadableStream>((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream)));
      });

    async function* bytes(entry: Entry, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
      let stream: NodeJS.ReadableStream;
      try {
        stream = await openStream(entry);
      } catch (e) {
        throw brokenZip(e);
      }
      let inflated = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          inflated += chunk.length;
          inflatedTotal += chunk.length;
          // yauzl already stops at the declared size; this also holds if a declared size is huge.
          if (inflated > z.maxEntryBytes || inflatedTotal > z.maxTotalBytes) {
            throw new SheetError('ZIP_BOMB', 'zip_too_big', { max: mb(Math.min(z.maxTotalBytes, z.maxEntryBytes)) });
          }
          onBytes?.(inflated);
          yield chunk;
        }
      } catch (e) {
        if (e instanceof SheetError) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        if (/too many bytes/i.test(msg)) {
          throw new SheetError('ZIP_BOMB', 'zip_lies', { part: entry.fileName });
        }
        throw brokenZip(e);
      } finally {
        (stream as unknown as { destroy?: () => void }).destroy?.();
      }
    }

    return {
      names: entries.map((e) => e.fileName),
      entry: (name) => byName.get(norm(name)),
      async readText(name) {
        const e = byName.get(norm(name));
        if (!e) return null;
        const parts: Buffer[] = [];
        for await (const b of bytes(e)) parts.push(b);
        return new TextDecoder('utf-8').decode(Buffer.concat(parts));
      },
      async *textChunks(name, onBytes) {
        const e = byName.get(norm(name));
        if (!e) return;
        // Parts are UTF-8 (or UTF-16 with a BOM, allowed by XML and produced by nobody we know).
        let decoder: TextDecoder | null = null;
        for await (const b of bytes(e, onBytes)) {
          if (!decoder) decoder = new TextDecoder(b[0] === 0xff && b[1] === 0xfe ? 'utf-16le' : 'utf-8');
          const s = decoder.decode(b, { stream: true });
          if (s) yield s;
        }
        const rest = decoder?.decode() ?? '';
        if (rest) yield rest;
      },
      close: () => zip.close(),
    };
  } catch (e) {
    zip.close();
    throw e;
  }
}
