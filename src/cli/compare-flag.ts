/**
 * `--compare "FLAGS"` on `keepalive-lab http`: the second run's flags as one quoted value, which
 * node:util parseArgs would take for flags of the first run. Its runs: commands/http-compare.ts.
 */
import { CliError } from './io';

/** The help of `--compare`, in both labs' usage. */
export const COMPARE_HELP = `--compare "FLAGS" then runs FLAGS (split at spaces; nothing is taken from the first run's flags)
and says what differs, in each protocol's words, as the app's Compare does: either run may be
--protocol h2. --json and --report, given with the first run's flags, cover both runs (the
report starts with what differs, then holds both); --capture and --har act on one run only.
`;

/** Takes `--compare VALUE` (or `--compare=VALUE`) out of the arguments: VALUE split at spaces, or null without the flag. */
export function compareFlag(argv: string[]): { other: string[] | null; rest: string[] } {
  const rest: string[] = [];
  let value: string | null = null;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    const inline = arg.startsWith('--compare=') ? arg.slice('--compare='.length) : null;
    if (arg !== '--compare' && inline === null) {
      rest.push(arg);
      continue;
    }
    if (value !== null) throw new CliError('--compare given twice: one comparison of two runs at a time');
    value = inline ?? argv[++index] ?? '';
  }
  if (value === null) return { other: null, rest };
  const other = value.split(/\s+/).filter((word) => word.length > 0);
  if (other.length === 0) throw new CliError('--compare needs the second run\'s flags in quotes, e.g. --compare "--protocol h2"');
  return { other, rest };
}
