/**
 * The report domain's part of the contract (composed in api.ts). Both render what
 * the engine holds for the caller (`session.bundle`): the bundle never travels
 * back from the page (a long run's bundle is tens of MB).
 * `report.render` returns the text (the web mode offers it as a download);
 * `report.save` writes it where the Electron save dialog pointed, atomically,
 * refusing to overwrite unless `force` (the GUI asks first).
 * With `compare`, either renders only the two runs the Compare view shows, with what differs
 * between them first (src/shared/report-comparison.ts), instead of everything this scope holds.
 */
import { z } from 'zod';
import { method } from './api-method';
import { ReportFormatSchema } from './report-model';

/** Two lab runs of this scope by their session ids, A first, and the titles the Compare view gives them. */
export const ReportCompareSchema = z
  .object({
    a: z.string().min(1).max(200),
    b: z.string().min(1).max(200),
    titles: z.tuple([z.string().min(1).max(200), z.string().min(1).max(200)]),
  })
  .strict();
export type ReportCompare = z.infer<typeof ReportCompareSchema>;

export const reportMethods = {
  'report.render': method(
    z.object({ format: ReportFormatSchema, compare: ReportCompareSchema.optional() }).strict(),
    z.object({ text: z.string(), suggestedName: z.string() }),
  ),
  'report.save': method(
    z
      .object({
        /** where the save dialog pointed; a handle from it when the engine takes granted paths only */
        path: z.string().min(1).max(4096),
        force: z.boolean().default(false),
        compare: ReportCompareSchema.optional(),
      })
      .strict(),
    z.object({ path: z.string(), bytes: z.number().int().min(0), format: ReportFormatSchema }),
  ),
};
