import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { newId as uuidv7 } from '../ids.ts';
import { AppError } from '../errors.ts';

/**
 * Files moving between a window and the core (an import the user dropped, an export to save).
 * Both transports carry JSON, so files travel in base64 chunks of at most CHUNK_BYTES; the core
 * keeps them in <dataDir>/transfers until used or discarded. Leftovers from a previous run are
 * removed at start: a transfer never outlives the process that received it.
 */
export const CHUNK_BYTES = 4 * 1024 * 1024;
export const MAX_TRANSFER_BYTES = 64 * 1024 * 1024;

interface Transfer {
  id: string;
  filename: string;
  bytes: number;
  received: number;
  path: string;
  mime: string;
}

export function createTransferStore(dataDir: string) {
  const dir = join(dataDir, 'transfers');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const transfers = new Map<string, Transfer>();

  const get = (id: string): Transfer => {
    const t = transfers.get(id);
    if (!t) throw new AppError('NOT_FOUND', 'files.not_found');
    return t;
  };

  return {
    dir,
    /** Announce an upload of `bytes` bytes. */
    begin(filename: string, bytes: number): { fileId: string; chunkBytes: number } {
      if (bytes > MAX_TRANSFER_BYTES) throw new AppError('BAD_INPUT', 'files.too_large', { max: MAX_TRANSFER_BYTES / 1024 / 1024 });
      const id = uuidv7();
      const path = join(dir, `${id}.bin`);
      closeSync(openSync(path, 'w'));
      transfers.set(id, { id, filename, bytes, received: 0, path, mime: 'application/octet-stream' });
      return { fileId: id, chunkBytes: CHUNK_BYTES };
    },
    append(id: string, offset: number, base64: string): { received: number } {
      const t = get(id);
      if (offset !== t.received) throw new AppError('BAD_INPUT', 'files.out_of_order', { expected: t.received });
      const chunk = Buffer.from(base64, 'base64');
      if (chunk.length > CHUNK_BYTES || t.received + chunk.length > t.bytes) {
        throw new AppError('BAD_INPUT', 'files.too_large', { max: Math.ceil(Math.max(t.bytes, 1) / 1024 / 1024) });
      }
      const fd = openSync(t.path, 'a');
      try {
        writeSync(fd, chunk);
      } finally {
        closeSync(fd);
      }
      t.received += chunk.length;
      return { received: t.received };
    },
    /** A complete upload's path, for the job that reads it. */
    completed(id: string): { path: string; filename: string; bytes: number } {
      const t = get(id);
      if (t.received !== t.bytes) throw new AppError('BAD_INPUT', 'files.incomplete', { received: t.received, bytes: t.bytes });
      return { path: t.path, filename: t.filename, bytes: t.bytes };
    },
    /** Register a file the core wrote (an export), for the window to read in chunks. */
    register(filename: string, mime: string): { fileId: string; path: string; finish(): number } {
      const id = uuidv7();
      const path = join(dir, `${id}.bin`);
      const t: Transfer = { id, filename, bytes: 0, received: 0, path, mime };
      transfers.set(id, t);
      return {
        fileId: id, path,
        finish() {
          t.bytes = t.received = statSync(path).size;
          return t.bytes;
        },
      };
    },
    read(id: string, offset: number, length: number) {
      const t = get(id);
      const size = Math.max(0, Math.min(length, CHUNK_BYTES, t.bytes - offset));
      const buffer = Buffer.alloc(size);
      const fd = openSync(t.path, 'r');
      try {
        readSync(fd, buffer, 0, size, offset);
      } finally {
        closeSync(fd);
      }
      return { filename: t.filename, mime: t.mime, bytes: t.bytes, base64: buffer.toString('base64'), eof: offset + size >= t.bytes };
    },
    discard(id: string): void {
      const t = transfers.get(id);
      if (!t) return;
      transfers.delete(id);
      rmSync(t.path, { force: true });
    },
  };
}
export type TransferStore = ReturnType<typeof createTransferStore>;
