import { describe, expect, it } from 'vitest';
import { GLOSSARY } from '@shared/glossary';

describe('glossary', () => {
  it('has the words a learner meets, each with one short line of help', () => {
    const terms = Object.values(GLOSSARY).map((entry) => entry.term);
    for (const word of [
      'maxSockets',
      'maxFreeSockets',
      'scheduling',
      'keepAliveMsecs',
      'TCP_USER_TIMEOUT',
      'Dup ACK',
      'stream',
      'RST',
      'FIN',
    ]) {
      expect(
        terms.some((term) => term.includes(word)),
        word,
      ).toBe(true);
    }
    for (const word of [
      'zero-window probe (ZWP)',
      'keep-alive probe',
      'idle (TCP_KEEPIDLE)',
      'interval (TCP_KEEPINTVL)',
      'count (TCP_KEEPCNT)',
    ]) {
      expect(terms, word).toContain(word);
    }
    for (const [id, entry] of Object.entries(GLOSSARY)) {
      expect(entry.help, id).not.toContain('\n');
      expect(entry.help.length, id).toBeLessThanOrEqual(160);
      expect(entry.help, id).toMatch(/\.$/);
    }
  });
});
