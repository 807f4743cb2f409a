/** Entity types and zod schemas of the Microservices, Reports and Modules tabs (issue #5). */
import { z } from 'zod';
import { Actor, Id } from './organization.ts';
import { FOLDER_NAME_MAX, FOLDER_NAME_MIN, MODULE_VISIBILITIES, folderNameProblem, moduleUrlProblem } from '../rules/org-settings.ts';

const name = (required: string, tooLong: string, max: number) =>
  z.string({ error: required }).trim().min(1, { error: required, abort: true }).max(max, { error: tooLong });

export const FolderName = z.string({ error: 'microservices.folder_invalid' }).trim()
  .min(FOLDER_NAME_MIN, { error: 'microservices.folder_invalid', abort: true })
  .max(FOLDER_NAME_MAX, { error: 'microservices.folder_invalid', abort: true })
  .refine((v) => folderNameProblem(v) === null, { error: 'microservices.folder_invalid' });

export const MicroserviceName = name('microservices.name_required', 'microservices.name_too_long', 100);
export const MicroserviceDescription = z.string().trim().max(500, { error: 'microservices.description_too_long' });
export const CategoryName = name('microservices.category_name_required', 'microservices.category_name_too_long', 60);
/** A microservice's own category text, used while predefined categories are off. */
export const FreeCategory = z.string().trim().max(60, { error: 'microservices.category_name_too_long' });

export const LastUpdate = z.object({ at: z.string(), actor: Actor }).nullable();

export const MicroserviceCategory = z.object({
  id: z.string(),
  name: z.string(),
  /** How many microservices of the main organization's tree are in it. */
  microservices: z.number().int(),
});
export type MicroserviceCategory = z.output<typeof MicroserviceCategory>;

export const Microservice = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  description: z.string(),
  categoryId: z.string().nullable(),
  /** The category shown: the predefined one's name, or the free text while predefined categories are off. */
  categoryName: z.string().nullable(),
  version: z.number().int(),
});
export type Microservice = z.output<typeof Microservice>;

export const MicroservicesView = z.object({
  orgId: z.string(),
  folderName: z.string(),
  /** Where predefined categories are set: the main organization (itself when not inherited). */
  mainOrgId: z.string(),
  mainOrgName: z.string(),
  inherited: z.boolean(),
  categoriesEnabled: z.boolean(),
  categories: z.array(MicroserviceCategory),
  items: z.array(Microservice),
  lastUpdate: LastUpdate,
});
export type MicroservicesView = z.output<typeof MicroservicesView>;

export const ReportCategoryName = name('reports.name_required', 'reports.name_too_long', 60);
export const ReportDescription = z.string().trim().max(300, { error: 'reports.description_too_long' });
export const ReportQueries = z.array(z.string().trim().min(1).max(200, { error: 'reports.query_too_long' }))
  .max(100, { error: 'reports.too_many_queries' });

export const ReportCategory = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  queries: z.array(z.string()),
  queryCount: z.number().int(),
  createdAt: z.string(),
  createdBy: Actor.nullable(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ReportCategory = z.output<typeof ReportCategory>;

export const ReportsView = z.object({
  orgId: z.string(),
  categoriesEnabled: z.boolean(),
  categories: z.array(ReportCategory),
  lastUpdate: LastUpdate,
});
export type ReportsView = z.output<typeof ReportsView>;

export const ModuleLabel = name('modules.label_required', 'modules.label_too_long', 60);
export const ModuleUrl = z.string({ error: 'modules.url_required' }).trim().max(2000, { error: 'modules.url_too_long', abort: true })
  .superRefine((v, ctx) => {
    const problem = moduleUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export const ModuleVisibility = z.enum(MODULE_VISIBILITIES, { error: 'modules.visibility_invalid' });

export const PortalModule = z.object({
  id: z.string(),
  orgId: z.string(),
  label: z.string(),
  url: z.string(),
  visibility: ModuleVisibility,
  /** Added by an administrator (deletable), as opposed to the Portal's built-in modules. */
  custom: z.boolean(),
  updatedAt: z.string(),
  updatedBy: Actor.nullable(),
  version: z.number().int(),
});
export type PortalModule = z.output<typeof PortalModule>;

export { Id };
