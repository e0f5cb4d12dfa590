/** A table's note on the rows it leaves out counts them in words: one connection is, two are. */
import { describe, expect, it } from 'vitest';
import { moreInJsonNote, settingsTable } from '../../../../src/main/engine/report/report-tables';

describe('the note on rows left out of a report table', () => {
  it('says one in the singular and many in the plural, with the detail after the noun', () => {
    expect(moreInJsonNote(0, 'connection')).toBeNull();
    expect(moreInJsonNote(1, 'connection')).toBe('1 more connection is in the JSON report.');
    expect(moreInJsonNote(4900, 'stream', ' (fewer probes, requests and packets)')).toBe(
      '4,900 more streams (fewer probes, requests and packets) are in the JSON report.',
    );
  });

  it('a settings table of 101 settings says the one left out', () => {
    const settings = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`s${index}`, index]));
    expect(settingsTable('run', settings).note).toBe('1 more setting is in the JSON report.');
  });
});
