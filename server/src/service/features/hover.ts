// Hover: what a key means (our description, type, default, choices) in the
// schema of the document's format, v1 plugin sub-keys included, and what a
// template or dataset name refers to. The precision keys of v0 configs add the
// precision guide, which needs the analysis (target GPU, memory estimate).
import type { Hover } from 'vscode-languageserver-types';
import type { Position } from 'vscode-languageserver-types';
import lists from '../facts/lists.json';
import { precisionGuideMarkdown } from '../guide/precision';
import type { RuleContext } from '../rules/types';
import { keySchema, pluginSubKeys, schemaFor, v0Schema } from '../schema/schema';
import type { ConfigSchema } from '../schema/schema';
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
  sampling: 'sampling argument',
};

export function keyHoverMarkdown(key: string, config: ConfigSchema = v0Schema): string | undefined {
  const schema = keySchema(key, config);
  const meta = schema?.['x-llamafactory'];
  if (!schema || !meta) return undefined;
  const format = config.kind === 'llamafactory-v1' ? 'v1 ' : '';
  const lines = [`**${key}** — ${format}${GROUP_LABEL[meta.group] ?? meta.group}${meta.plugin ? ' (plugin block)' : ''}`, '', schema.markdownDescription];
  if (meta.commaSeparated) lines.push('', 'Several values may be given separated by commas.');
  if (schema.deprecationMessage) lines.push('', `⚠ ${schema.deprecationMessage}`);
  if (meta.commands) lines.push('', `Used by: ${meta.commands.map((c) => `\`${c}\``).join(', ')}`);
  return lines.join('\n');
}

/** A sub-key of a v1 plugin block, as it applies to the block's current `name`. */
export function subKeyHoverMarkdown(plugin: string, name: unknown, sub: string, config: ConfigSchema): string | undefined {
  const block = keySchema(plugin, config);
  const schema = block && pluginSubKeys(block, name)[sub];
  if (!schema) return undefined;
  const scope = sub !== 'name' && typeof name === 'string' ? ` (\`name: ${name}\`)` : '';
  return [`**${plugin}.${sub}** — setting of the \`${plugin}\` block${scope}`, '', schema.markdownDescription].join('\n');
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

/** The hover at `p` in the analysed document; `locale` picks the language of the precision guide. */
export function hover(ctx: RuleContext, p: Position, locale = 'en'): Hover | null {
  const doc = ctx.doc;
  const config = schemaFor(doc.kind);
  if (!config) return null;
  const spot = spotAt(doc, p);
  if (spot.at === 'none') return null;
  const { entry, sub } = spot;
  if (sub) {
    const name = (entry.value as Record<string, unknown>).name;
    const md = subKeyHoverMarkdown(entry.key, name, sub.key, config);
    return md ? { contents: { kind: 'markdown', value: md }, range: spot.at === 'key' ? sub.keyRange : sub.valueRange } : null;
  }
  const valueMd = spot.at === 'value' && config.kind === 'llamafactory-v0' ? valueHoverMarkdown(entry.key, entry.value) : undefined;
  const keyMd = valueMd ? undefined : keyHoverMarkdown(entry.key, config);
  const guide = keyMd && config.kind === 'llamafactory-v0' ? precisionGuideMarkdown(ctx, entry.key, locale) : undefined;
  const md = valueMd ?? (guide ? `${keyMd}\n\n---\n\n${guide}` : keyMd);
  if (!md) return null;
  return { contents: { kind: 'markdown', value: md }, range: spot.at === 'key' ? entry.keyRange : entry.valueRange };
}
