// Default value of every LLaMA-Factory argument, so rules can read a key the
// YAML leaves out the way LLaMA-Factory sees it (`stage` → "sft", ...).
import { jsonText, readFacts } from '../lib/facts.mjs';

export function generate(factsDir) {
  const { args } = readFacts(factsDir, 'args.json');
  const out = {};
  for (const a of [...args].sort((x, y) => x.name.localeCompare(y.name))) out[a.name] = a.default ?? null;
  return { 'server/src/service/facts/defaults.json': jsonText(out) };
}
