/**
 * Files to and from the core. Both transports carry JSON, so a file travels in base64 chunks:
 * files.begin -> files.append... (upload) and files.read... (download), then the file id is used
 * (users.importStart) or discarded.
 */
import { api } from './client.ts';

/** Upload chunks: small enough for a smooth progress bar, well under the host's 8 MB body limit. */
const UPLOAD_CHUNK = 1024 * 1024;
const DOWNLOAD_CHUNK = 2 * 1024 * 1024;

/** A Blob slice as base64 (the browser's own encoder, off the JS heap). */
function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export class UploadAborted extends Error {
  override readonly name = 'UploadAborted';
}

/** Send a File to the core; returns its file id. `onProgress(sent, total, bytesPerSecond)` after each chunk. */
export async function uploadFile(
  file: File,
  onProgress?: (sent: number, total: number, bytesPerSecond: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const started = performance.now();
  const { fileId, chunkBytes } = await api.call('files.begin', { filename: file.name || 'upload', bytes: file.size });
  const size = Math.max(1, Math.min(UPLOAD_CHUNK, chunkBytes));
  try {
    onProgress?.(0, file.size, 0);
    for (let offset = 0; offset < file.size; offset += size) {
      if (signal?.aborted) throw new UploadAborted();
      const base64 = await blobToBase64(file.slice(offset, offset + size));
      await api.call('files.append', { fileId, offset, base64 });
      const sent = Math.min(file.size, offset + size);
      const seconds = (performance.now() - started) / 1000;
      onProgress?.(sent, file.size, seconds > 0.2 ? Math.round(sent / seconds) : 0);
    }
  } catch (e) {
    void api.call('files.discard', { fileId }).catch(() => undefined);
    throw e;
  }
  return fileId;
}

/** Read a core file (an export, a template, an error report) into a Blob. */
export async function readFile(fileId: string, onProgress?: (read: number, total: number) => void): Promise<{ blob: Blob; filename: string }> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (;;) {
    const chunk = await api.call('files.read', { fileId, offset, length: DOWNLOAD_CHUNK });
    const bytes = base64ToBytes(chunk.base64);
    parts.push(bytes);
    offset += bytes.length;
    onProgress?.(offset, chunk.bytes);
    if (chunk.eof || bytes.length === 0) return { blob: new Blob(parts, { type: chunk.mime }), filename: chunk.filename };
  }
}

/** Hand a Blob to the browser (or Electron's download handling) as a file download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Read a core file and save it; the core's copy is discarded unless `keep`. */
export async function downloadFile(fileId: string, options: { keep?: boolean; onProgress?: (read: number, total: number) => void } = {}): Promise<{ filename: string; bytes: number }> {
  const { blob, filename } = await readFile(fileId, options.onProgress);
  saveBlob(blob, filename);
  if (!options.keep) void api.call('files.discard', { fileId }).catch(() => undefined);
  return { filename, bytes: blob.size };
}
