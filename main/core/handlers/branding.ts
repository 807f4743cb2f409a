import { createHash } from 'node:crypto';
import type { CallContext, CoreDeps } from './context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import { DEFAULT_PALETTE, type BrandingView, type Palette, type StoredImage } from '../../../shared/model/branding.ts';
import { base64ToBytes, checkImage, type ImageSlot } from '../../../shared/rules/image.ts';
import { AppError, fieldError } from '../errors.ts';
import type { Row } from '../mutations/pipeline.ts';

type ImageMeta = Omit<StoredImage, 'dataUrl'>;

interface BrandingRow {
  org_id: string;
  logo: string | null;
  logo_data: Buffer | null;
  cover: string | null;
  cover_data: Buffer | null;
  palette: string;
  version: number;
  updated_at: string;
  updated_by: string | null;
}

export function createBrandingHandlers(deps: CoreDeps) {
  const { db, mutations } = deps;
  const q = {
    get: db.prepare('SELECT * FROM branding WHERE org_id = ?'),
    org: db.prepare('SELECT id FROM organizations WHERE id = ?'),
    actor: db.prepare('SELECT id, name, email FROM actors WHERE id = ?'),
  };

  const image = (meta: string | null, data: Buffer | null): StoredImage | null => {
    if (!meta || !data) return null;
    const m = JSON.parse(meta) as ImageMeta;
    return { ...m, dataUrl: `data:${m.mime};base64,${data.toString('base64')}` };
  };

  function view(orgId: string): BrandingView {
    if (!q.org.get(orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
    const r = q.get.get(orgId) as BrandingRow | undefined;
    if (!r) return { orgId, logo: null, cover: null, palette: DEFAULT_PALETTE, version: 0, updatedAt: null, updatedBy: null };
    return {
      orgId,
      logo: image(r.logo, r.logo_data),
      cover: image(r.cover, r.cover_data),
      palette: JSON.parse(r.palette) as Palette,
      version: r.version,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by ? ((q.actor.get(r.updated_by) as Actor | undefined) ?? null) : null,
    };
  }

  /** Decode and check an upload by its bytes; returns the fields to store. */
  function prepareImage(slot: ImageSlot, upload: { base64: string } | null): Row {
    const dataField = `${slot}Data`;
    if (upload === null) return { [slot]: null, [dataField]: null };
    const bytes = base64ToBytes(upload.base64);
    if (!bytes) throw fieldError(slot, 'branding.image_base64');
    const check = checkImage(bytes, slot);
    if (!check.ok) throw fieldError(slot, check.error, check.params);
    const meta: ImageMeta = {
      ...check.info,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    return { [slot]: meta, [dataField]: Buffer.from(bytes) };
  }

  return {
    'branding.get': (input: ParsedIn<'branding.get'>): Out<'branding.get'> => view(input.orgId),

    'branding.update': (input: ParsedIn<'branding.update'>, ctx: CallContext): Out<'branding.update'> => {
      const current = view(input.orgId);
      const patch: Row = {};
      if (input.logo !== undefined) Object.assign(patch, prepareImage('logo', input.logo));
      if (input.cover !== undefined) Object.assign(patch, prepareImage('cover', input.cover));
      if (input.palette !== undefined) patch.palette = input.palette;
      mutations.run('branding.update', ctx.actor, (w) => {
        if (current.version === 0) {
          if (input.baseVersion !== 0) throw new AppError('CONFLICT', 'common.conflict', { fields: 'branding' });
          const defaults = { logo: null, logoData: null, cover: null, coverData: null, palette: DEFAULT_PALETTE };
          w.create('branding', input.orgId, { ...defaults, ...patch }, defaults);
        } else {
          w.update('branding', input.orgId, patch, input.baseVersion);
        }
      });
      return view(input.orgId);
    },
  };
}
