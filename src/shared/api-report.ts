/**
 * The report domain's part of the contract (composed in api.ts).
 * `report.render` returns the text (the web mode offers it as a download);
 * `report.save` writes it where the Electron save dialog pointed, atomically,
 * refusing to overwrite unless `force` (the GUI asks first).
 */
import { z } from 'zod';
import { method } from './api-method';
import { ReportBundleSchema, ReportFormatSchema } from './report-model';

export const reportMethods = {
  'report.render': method(
    z.object({ bundle: ReportBundleSchema, format: ReportFormatSchema }).strict(),
    z.object({ text: z.string(), suggestedName: z.string() }),
  ),
  'report.save': method(
    z.object({ bundle: ReportBundleSchema, path: z.string().min(1).max(4096), force: z.boolean().default(false) }).strict(),
    z.object({ path: z.string(), bytes: z.number().int().min(0), format: ReportFormatSchema }),
  ),
};
