import { checkImage, type ImageInfo, type ImageSlot } from '../../../shared/rules/image.ts';

export type ImageDraft =
  | { kind: 'new'; base64: string; previewUrl: string; info: ImageInfo; bytes: number; name: string }
  | { kind: 'remove' };

export type ImageProblem = { key: string; params?: Record<string, string | number> };

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Read a chosen/dropped file and check it by content, the same way the core will. */
export async function readImageFile(file: File, slot: ImageSlot): Promise<{ ok: true; draft: ImageDraft } | { ok: false; problem: ImageProblem }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { ok: false, problem: { key: 'ui.branding.readFailed' } };
  }
  const check = checkImage(bytes, slot);
  if (!check.ok) return { ok: false, problem: { key: check.error, params: check.params } };
  const previewUrl = URL.createObjectURL(new Blob([bytes as BlobPart], { type: check.info.mime }));
  return { ok: true, draft: { kind: 'new', base64: toBase64(bytes), previewUrl, info: check.info, bytes: bytes.length, name: file.name } };
}
