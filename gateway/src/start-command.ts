import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** How `npm start` runs the gateway: Node's flags, and the script with its absolute path. */
export interface StartCommand {
  readonly flags: readonly string[];
  readonly main: string;
}

/**
 * The start script of gateway/package.json, the one place the gateway's Node flags are set, read for whatever starts
 * the built gateway itself and must run it as `npm start` does: the smoke, cluster and browser tests, the benchmarks.
 */
export function startCommand(): StartCommand {
  const manifest = require.resolve('@cabinet/gateway/package.json');
  const script = String(JSON.parse(readFileSync(manifest, 'utf8')).scripts?.start ?? '');
  const [program, ...words] = script.trim().split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const rest = words.filter((word) => !word.startsWith('--'));
  if (program !== 'node' || rest.length !== 1) throw new Error(`the start script is not "node [--flag…] <script>": ${script}`);
  return { flags, main: join(dirname(manifest), rest[0]) };
}
