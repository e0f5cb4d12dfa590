import { describe, expect, it } from 'vitest';
import { HTTP_PRESETS } from '@engine/lab/http-scenarios';
import { inlineCodeParts } from '@renderer/features/lab/inline-code';

describe('scenario text with `code`', () => {
  it('splits backticked spans into code parts and keeps the rest as text', () => {
    expect(inlineCodeParts('sends `Connection: close`-style requests')).toEqual([
      { code: false, text: 'sends ' },
      { code: true, text: 'Connection: close' },
      { code: false, text: '-style requests' },
    ]);
    expect(inlineCodeParts('no code here')).toEqual([{ code: false, text: 'no code here' }]);
  });

  it('leaves no raw backtick in any scenario lesson as shown, and no internal note in a title', () => {
    for (const preset of HTTP_PRESETS) {
      const shown = inlineCodeParts(preset.lesson).filter((part) => !part.code);
      expect(shown.map((part) => part.text).join(''), preset.name).not.toContain('`');
      expect(`${preset.title} ${preset.lesson}`, preset.name).not.toMatch(/seed \d+/i);
    }
  });
});
