/**
 * The methods only the CLI calls (composed in api.ts): they take plain paths and whole report
 * bundles, which a page must never send, so the policy (src/main/engine/services/policy.ts)
 * refuses them outside the CLI. `analyze.file` answers `keepalive-lab analyze` for a capture;
 * `report.write` writes what a command ran or analysed; `report.convert` re-renders a saved report.
 */
import { z } from 'zod';
import { method } from './api-method';
import { AnalysisFlagNameSchema, CaptureStreamSchema } from './api-capture';
import { ReportCaptureSchema, ReportFormatSchema } from './report-model';
import { SessionSchema } from './trace';
import { ReportComparisonSchema } from './report-comparison';

const path = z.string().min(1).max(4096);

/** `keepalive-lab analyze --json` for a capture: the document scripts and the contract tests rely on. */
export const AnalysisDocumentSchema = z.object({
  format: z.enum(['pcap', 'pcapng']),
  linkTypes: z.array(z.string()),
  packets: z.number(),
  /** reader problems (cut short, corrupt length) */
  warnings: z.array(z.string()),
  /** the capture's hints in words */
  hints: z.array(z.string()),
  streams: z.array(
    CaptureStreamSchema.pick({
      stream: true,
      a: true,
      b: true,
      firstFrame: true,
      lastFrame: true,
      packets: true,
      end: true,
      httpRequests: true,
      keepAlives: true,
      keepAliveAcks: true,
      keepalive: true,
      tls: true,
      http2: true,
    }),
  ),
  /** every frame Wireshark's TCP analysis flags, with its flags */
  annotations: z.array(z.object({ frame: z.number(), stream: z.number(), flags: z.array(AnalysisFlagNameSchema) })),
});
export type AnalysisDocument = z.infer<typeof AnalysisDocumentSchema>;

const WrittenReportSchema = z.object({ path: z.string(), bytes: z.number().int().min(0), format: ReportFormatSchema });

export const cliMethods = {
  /** Analyses a pcap or pcapng file: the `--json` document, the summary lines after "FILE: ", and the capture for a report. */
  'analyze.file': method(
    z.object({ path, jobId: z.string().min(1).max(64).optional() }).strict(),
    z.object({ document: AnalysisDocumentSchema, text: z.string(), report: ReportCaptureSchema }),
  ),
  /** Writes a report of the sessions and captures a command made, stamped with this machine's environment. */
  'report.write': method(
    z
      .object({
        sessions: z.array(SessionSchema).default([]),
        captures: z.array(ReportCaptureSchema).default([]),
        /** the sessions above compared two by two (`http --compare`): the report shows what differs first */
        comparisons: z.array(ReportComparisonSchema).default([]),
        path,
        force: z.boolean().default(false),
      })
      .strict(),
    WrittenReportSchema,
  ),
  /** Re-renders a saved JSON report (or a bare session JSON) as HTML, Markdown or JSON, by `to`'s extension. */
  'report.convert': method(z.object({ from: path, to: path, force: z.boolean().default(false) }).strict(), WrittenReportSchema),
};
