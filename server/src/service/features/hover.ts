// Hover: what a key means (our description, type, default, choices), and
// what a template or dataset name refers to.
import type { Hover } from 'vscode-languageserver-types';
import type { Position } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../document';
import lists from '../facts/lists.json';
import { keySchema } from '../schema/schema';
import { spotAt } from './position';

const GROUP_LABEL: Record<string, string> = {
  model: 'model argument',
  data: 'data argument',
  finetuning: 'fine-tuning argument',
  generating: 'generation argument',
  evaluation: 'evaluation argument',
  training: 'LLaMA-Factory training argument',
  megatron_bridge: 'Megatron Bridge argument',
  transformers: 'transformers TrainingArguments field',
};

export function keyHoverMarkdown(key: string): string | undefined {
  const schema = keySchema(key);
  if (!schema) return undefined;
  const meta = schema['x-llamafactory'];
  const lines = [`**${key}** — ${GROUP_LABEL[meta.group] ?? meta.group}`, '', schema.markdownDescription];
  if (meta.commaSeparated) lines.push('', 'Several values may be given separated by commas.');
  if (schema.deprecationMessage) lines.push('', `⚠ ${schema.deprecationMessage}`);
  lines.push('', `Used by: ${meta.commands.map((c) => `\`${c}\``).join(', ')}`);
  return lines.join('\n');
}

function valueHoverMarkdown(key: string, value: unknown): string | undefined {
  if (key === 'template' && typeof value === 'string') {
    const t = lists.templates.find((x) => x.name === value);
    if (!t) return undefined;
    const traits = [t.multimodal ? 'multimodal' : 'text-only', t.reasoning ? 'reasoning (thinking) template' : undefined, t.efficientEos ? 'efficient EOS' : undefined].filter(Boolean);
    return `**template \`${t.name}\`** — built-in chat template (${traits.join(', ')}).`;
  }
  if ((key === 'dataset' || key === 'eval_dataset') && typeof value === 'string' && !value.includes(',')) {
    const d = lists.datasets.find((x) => x.name === value.trim());
    if (!d) return undefined;
    const traits = [`${d.formatting} format`, d.ranking ? 'preference pairs (ranking)' : undefined, d.kto ? 'KTO labels' : undefined, d.modalities.length ? d.modalities.join('/') : undefined].filter(Boolean);
    return `**dataset \`${d.name}\`** — LLaMA-Factory built-in dataset (${traits.join(', ')}).`;
  }
  return undefined;
}

export function hover(doc: ConfigDocument, p: Position): Hover | null {
  if (doc.kind !== 'llamafactory-v0') return null;
  const spot = spotAt(doc, p);
  if (spot.at === 'none') return null;
  const md = spot.at === 'key' ? keyHoverMarkdown(spot.entry.key) : (valueHoverMarkdown(spot.entry.key, spot.entry.value) ?? keyHoverMarkdown(spot.entry.key));
  if (!md) return null;
  return { contents: { kind: 'markdown', value: md }, range: spot.at === 'key' ? spot.entry.keyRange : spot.entry.valueRange };
}
