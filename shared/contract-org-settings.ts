/** The console API of Microservices, Reports and Modules settings (issue #5); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';
import { Id } from './model/organization.ts';
import {
  CategoryName, FolderName, FreeCategory, MicroserviceDescription, MicroserviceName, MicroservicesView, ModuleLabel, ModuleUrl,
  ModuleVisibility, PortalModule, ReportCategory, ReportCategoryName, ReportDescription, ReportQueries, ReportsView,
} from './model/org-settings.ts';

/** A microservice's category: a predefined one (by id) while they are on, free text while they are off; null = none. */
const CategoryChoice = {
  categoryId: Id.nullable().optional(),
  category: FreeCategory.nullable().optional(),
};

export const orgSettingsContract = {
  /** The Microservices tab: folder name, predefined categories (the main organization's), the organization's microservices. */
  'microservices.get': query(z.object({ orgId: Id }), MicroservicesView),
  /**
   * Folder name (any organization) and predefined categories on/off (main organization only).
   * Switching categories off takes every microservice of the tree out of its category: it needs
   * `confirmUncategorize` when any microservice has one.
   */
  'microservices.setSettings': mutation(
    z.object({
      orgId: Id,
      folderName: FolderName.optional(),
      categoriesEnabled: z.boolean().optional(),
      confirmUncategorize: z.boolean().optional(),
    }),
    MicroservicesView.extend({ uncategorized: z.number().int() }),
  ),
  'microservices.createCategory': mutation(z.object({ orgId: Id, name: CategoryName }), MicroservicesView),
  /** Delete a predefined category: its microservices become uncategorized (their count is returned). */
  'microservices.deleteCategory': mutation(z.object({ id: Id }), z.object({ uncategorized: z.number().int() })),
  'microservices.create': mutation(
    z.object({ orgId: Id, name: MicroserviceName, description: MicroserviceDescription.default(''), ...CategoryChoice }),
    MicroservicesView,
  ),
  'microservices.update': mutation(
    z.object({
      id: Id, baseVersion: z.number().int().optional(),
      name: MicroserviceName.optional(), description: MicroserviceDescription.optional(), ...CategoryChoice,
    }),
    MicroservicesView,
  ),
  'microservices.delete': mutation(z.object({ id: Id }), z.object({ deleted: z.number().int() })),

  'reports.get': query(z.object({ orgId: Id }), ReportsView),
  'reports.setSettings': mutation(z.object({ orgId: Id, categoriesEnabled: z.boolean() }), ReportsView),
  'reports.createCategory': mutation(
    z.object({ orgId: Id, name: ReportCategoryName, description: ReportDescription.default(''), queries: ReportQueries.default([]) }),
    ReportCategory,
  ),
  'reports.updateCategory': mutation(
    z.object({
      id: Id, baseVersion: z.number().int().optional(),
      name: ReportCategoryName.optional(), description: ReportDescription.optional(), queries: ReportQueries.optional(),
    }),
    ReportCategory,
  ),

  'modules.list': query(z.object({ orgId: Id }), z.object({ items: z.array(PortalModule) })),
  'modules.create': mutation(z.object({ orgId: Id, label: ModuleLabel, url: ModuleUrl, visibility: ModuleVisibility }), PortalModule),
  'modules.update': mutation(
    z.object({
      id: Id, baseVersion: z.number().int().optional(),
      label: ModuleLabel.optional(), url: ModuleUrl.optional(), visibility: ModuleVisibility.optional(),
    }),
    PortalModule,
  ),
  /** Only custom modules can be deleted; the Portal's built-in ones can be relabelled or moved to "View more". */
  'modules.delete': mutation(z.object({ id: Id }), z.object({ deleted: z.number().int() })),
} as const;
