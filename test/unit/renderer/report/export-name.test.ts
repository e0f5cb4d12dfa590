import { describe, expect, it } from 'vitest';
import { formatOfFileName, savedMessage } from '@renderer/features/report/export-name';

describe('export names', () => {
  it('reads the format from the extension the engine writes by', () => {
    expect(formatOfFileName('/a/b/report.HTML')).toBe('html');
    expect(formatOfFileName('C:\\r\\report.markdown')).toBe('md');
    expect(formatOfFileName('/a/report.json')).toBe('json');
    expect(formatOfFileName('/a.md/report')).toBeNull();
    expect(formatOfFileName('/a/.md')).toBeNull();
  });

  it('says which format won when the name and the list disagree', () => {
    expect(savedMessage('/d/report.html', 12345, 'html')).toBe('Saved /d/report.html (12,345 bytes).');
    expect(savedMessage('/d/report.md', 900, 'html')).toBe(
      "Saved /d/report.md (900 bytes) as Markdown: the name's .md decides the format, not the HTML chosen in the list.",
    );
  });
});
