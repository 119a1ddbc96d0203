// Templates, built-in datasets and enumerations the service completes and checks.
import { jsonText, readFacts } from '../lib/facts.mjs';

export function generate(factsDir) {
  const lists = readFacts(factsDir, 'lists.json');
  const reasoning = new Set(lists.reasoning_templates);
  const out = {
    templates: lists.templates.map((t) => ({
      name: t.name,
      efficientEos: Boolean(t.efficient_eos),
      reasoning: reasoning.has(t.name),
      multimodal: t.mm_plugin !== 'base',
    })),
    datasets: lists.datasets.map((d) => ({
      name: d.name,
      formatting: d.formatting,
      ranking: Boolean(d.ranking),
      kto: Boolean(d.kto),
      modalities: d.modalities ?? [],
    })),
    enums: lists.enums,
    // Keys accepted only when USE_MCA=1 swaps in mcore_adapter's training arguments.
    mcaKeys: lists.mca_external_keys.keys,
  };
  return { 'server/src/service/facts/lists.json': jsonText(out) };
}
