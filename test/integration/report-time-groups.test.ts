/**
 * A capture whose timestamps fall in groups far apart (ndpi__sites.pcapng: 2020, 2021 and 2024):
 * its report fits the timeline and the Opened column to the busiest group, as the app's timeline
 * does, instead of an axis over years that draws every stream as a sliver.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { captureSummary } from '@engine/capture/capture-summary';
import { captureSummaryToReport } from '@engine/report/capture-to-report';
import { captureTimeline } from '@engine/report/render-timeline-svg';
import { shownStreams, streamTable } from '@engine/report/report-tables';

const FILE = path.resolve(__dirname, '../../../shared/captures/public/ndpi__sites.pcapng');

describe('a report of a capture in time groups', () => {
  it('draws and times the busiest group only, and says where the other streams are', async () => {
    const analysis = await analyzeCaptureFile(FILE);
    expect(analysis.timeGroups.length).toBe(3);
    const busiest = analysis.timeGroups.reduce((best, group) => (group.packets > best.packets ? group : best));
    const report = captureSummaryToReport(captureSummary('c1', FILE, analysis));
    expect(report.mainGroup).toEqual({
      startS: analysis.startTime + busiest.startS,
      endS: analysis.startTime + busiest.endS,
      packets: busiest.packets,
    });
    const group = report.mainGroup!;
    const inGroup = report.streams.filter((stream) => stream.lastTime >= group.startS && stream.firstTime <= group.endS);
    expect(inGroup.length).toBeGreaterThan(0);
    expect(inGroup.length).toBeLessThan(report.streams.length);

    const timeline = captureTimeline(report.file, report.streams, shownStreams(report), group);
    expect(timeline.durationS).toBeCloseTo(group.endS - group.startS, 6);
    expect(timeline.lanes.length + timeline.hiddenLanes).toBe(inGroup.length);
    for (const lane of timeline.lanes) expect(lane.startS).toBeGreaterThanOrEqual(-1e-6);
    expect(timeline.title).toBe(
      `${report.file}: the busiest group of packets (${busiest.packets} packets, ${inGroup.length} streams); the others lie far apart in time`,
    );

    const table = streamTable(report);
    const openedColumn = table.headers.indexOf('Opened');
    const outside = table.rows.filter((row) => row[openedColumn] === 'in another time group');
    const shownOutside = shownStreams(report).filter((stream) => !inGroup.includes(stream));
    expect(outside).toHaveLength(shownOutside.length);
    expect(shownOutside.length).toBeGreaterThan(0);
  });
});
