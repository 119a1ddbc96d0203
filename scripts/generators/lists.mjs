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
      // A pre-training corpus: its columns map only the text (`prompt`), so it has no responses to learn.
      corpus: isCorpus(d.columns),
    })),
    enums: lists.enums,
    // Keys accepted only when USE_MCA=1 swaps in mcore_adapter's training arguments.
    mcaKeys: lists.mca_external_keys.keys,
    // Keys only LLaMA-Factory's own argument dataclasses define (not transformers' or Megatron Bridge's): evidence that a file is a config.
    ownKeys: readFacts(factsDir, 'args.json').args.filter((a) => !/^transformers\.|^MegatronBridge/.test(a.dataclass)).map((a) => a.name),
  };
  return { 'server/src/service/facts/lists.json': jsonText(out), 'server/src/service/facts/model-templates.json': jsonText(modelTemplates(lists)) };
}

function isCorpus(columns) {
  return columns !== null && typeof columns === 'object' && Object.keys(columns).length === 1 && 'prompt' in columns;
}

/**
 * The default template of every registered chat model, by hub id: register_model_group(..., template=...)
 * in extras/constants.py sets it only for -Chat/-Distill/-Instruct/-Thinking names and multimodal groups.
 */
function modelTemplates(lists) {
  const byTemplate = {};
  for (const group of lists.model_groups) {
    for (const model of Object.values(group.models)) {
      if (!model.default_template) continue;
      const ids = (byTemplate[model.default_template] ??= new Set());
      for (const id of Object.values(model.hub_ids)) ids.add(id);
    }
  }
  const templates = Object.fromEntries(Object.entries(byTemplate).map(([k, ids]) => [k, [...ids].sort()]));
  return { source: 'register_model_group(..., template=...) in src/llamafactory/extras/constants.py (see vendor/facts/lists.json meta)', templates };
}
