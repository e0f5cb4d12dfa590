/**
 * HAR 1.2, as the spec writes it (http://www.softwareishard.com/blog/har-12-spec/), in zod: every
 * field the spec marks required, with its type, and the rules on timings (-1 where a timing does
 * not apply, `send`, `wait` and `receive` required and ≥ 0, `time` their sum with `ssl` inside
 * `connect`). Custom fields start with "_" and are allowed anywhere, so objects are not strict.
 */
import { z } from 'zod';

const nameValue = z.object({ name: z.string(), value: z.string(), comment: z.string().optional() });
const cookie = z.object({ name: z.string(), value: z.string() });
const optionalTiming = z
  .number()
  .refine((value) => value === -1 || value >= 0, 'a timing is -1 or ≥ 0')
  .optional();
const requiredTiming = z.number().min(0);

export const Har12EntrySchema = z
  .object({
    pageref: z.string().optional(),
    startedDateTime: z.iso.datetime({ offset: true }),
    time: z.number().min(0),
    request: z.object({
      method: z.string(),
      url: z.string(),
      httpVersion: z.string(),
      cookies: z.array(cookie),
      headers: z.array(nameValue),
      queryString: z.array(nameValue),
      headersSize: z.number().int(),
      bodySize: z.number().int(),
    }),
    response: z.object({
      status: z.number().int(),
      statusText: z.string(),
      httpVersion: z.string(),
      cookies: z.array(cookie),
      headers: z.array(nameValue),
      content: z.object({ size: z.number().int(), mimeType: z.string() }),
      redirectURL: z.string(),
      headersSize: z.number().int(),
      bodySize: z.number().int(),
    }),
    cache: z.object({}),
    timings: z.object({
      blocked: optionalTiming,
      dns: optionalTiming,
      connect: optionalTiming,
      ssl: optionalTiming,
      send: requiredTiming,
      wait: requiredTiming,
      receive: requiredTiming,
    }),
    serverIPAddress: z.string().optional(),
    connection: z.string().optional(),
    comment: z.string().optional(),
  })
  .refine((entry) => {
    const { blocked = -1, dns = -1, connect = -1, send, wait, receive } = entry.timings;
    const sum = [blocked, dns, connect, send, wait, receive].reduce((total, value) => total + Math.max(0, value), 0);
    return Math.abs(sum - entry.time) < 0.01;
  }, 'time is the sum of the timings (ssl is inside connect)');

export const Har12Schema = z.object({
  log: z.object({
    version: z.string(),
    creator: z.object({ name: z.string(), version: z.string() }),
    browser: z.object({ name: z.string(), version: z.string() }).optional(),
    pages: z
      .array(
        z.object({
          startedDateTime: z.iso.datetime({ offset: true }),
          id: z.string(),
          title: z.string(),
          pageTimings: z.object({ onContentLoad: z.number().optional(), onLoad: z.number().optional() }),
        }),
      )
      .optional(),
    entries: z.array(Har12EntrySchema),
    comment: z.string().optional(),
  }),
});
