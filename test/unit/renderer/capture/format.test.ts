import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatRelativeTime,
  inferredKeepaliveText,
  percent,
} from '@renderer/features/capture/format';
import { annotationKind, explainKindsForFlags, primaryFlag } from '@renderer/features/capture/annotation-kinds';

describe('formatting figures for a learner', () => {
  it('says counts, bytes and durations in plain units', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(311 * 1024 * 1024)).toBe('311 MiB');
    expect(formatDuration(0.00085)).toBe('850 µs');
    expect(formatDuration(0.0125)).toBe('12.5 ms');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(null)).toBe('—');
    expect(formatRelativeTime(1.5)).toBe('1.500000');
  });

  it('states the keepalive settings a stream implies, leaving out what is unknown', () => {
    expect(inferredKeepaliveText({ keepaliveIdleS: 7200, keepaliveIntervalS: 75, keepaliveProbes: 9 })).toBe(
      'idle 2 h · every 1 min 15 s · 9 probes · a vanished peer noticed after 2 h 11 min 15 s',
    );
    expect(inferredKeepaliveText({ keepaliveIdleS: null, keepaliveIntervalS: 1, keepaliveProbes: 1 })).toBe('every 1 s · 1 probe');
    expect(inferredKeepaliveText({ keepaliveIdleS: null, keepaliveIntervalS: null, keepaliveProbes: null })).toBe('');
  });

  it('gives a percentage only when the total is known', () => {
    expect(percent(50, 200)).toBe(25);
    expect(percent(5, null)).toBeNull();
    expect(percent(300, 200)).toBe(100);
  });
});

describe('annotation kinds', () => {
  it('puts the keep-alive first and explains each flag once', () => {
    expect(primaryFlag(['duplicate_ack', 'keep_alive'])).toBe('keep_alive');
    expect(explainKindsForFlags(['retransmission', 'fast_retransmission', 'keep_alive_ack'])).toEqual([
      'keepalive-ack',
      'retransmission',
      'fast-retransmission',
    ]);
    expect(primaryFlag([])).toBeNull();
  });

  it('keeps an unknown flag visible under its own name', () => {
    expect(annotationKind('brand_new_flag')).toMatchObject({ label: 'brand new flag', colorVar: '--muted' });
    expect(annotationKind('keep_alive')).toMatchObject({ label: 'Keep-alive', colorVar: '--probe' });
  });
});
