// The few per-key traits the argument rules need beyond the schema: keys only
// the eval parser accepts, and the option words the `fsdp` string may hold.
// (Deprecated keys are in deprecations.mjs.)
import { jsonText, readFacts } from '../lib/facts.mjs';

export function generate(factsDir) {
  const args = readFacts(factsDir, 'args.json').args;
  const evalOnly = args.filter((a) => a.commands.length === 1 && a.commands[0] === 'eval').map((a) => a.name);
  const fsdp = args.find((a) => a.name === 'fsdp');
  const traits = { evalOnly, fsdpOptions: fsdp?.choices ?? [] };
  return {
    'server/src/service/facts/arg-traits.json': jsonText(traits),
  };
}
