// Hover: what a key means (our description, type, default, choices) in the
// schema of the document's format, v1 plugin sub-keys included, and what a
// template or dataset name refers to. The precision keys of v0 configs add the
// precision guide, which needs the analysis (target GPU, memory estimate).
import type { Hover } from 'vscode-languageserver-types';
import type { Position } from 'vscode-languageserver-types';
import lists from '../facts/lists.json';
import { precisionGuideMarkdown } from '../guide/precision';
import type { GuideInput } from '../guide/precision';
import { estimateReport, estimateWith } from '../memory/report';
import { datasetHoverMarkdown, stepsHoverMarkdown } from './data-hover';
import type { AnalysisContext } from '../context';
import { foreignKey, foreignValue } from '../schema/foreign';
import { keySchema, pluginSubKeys, v0Schema } from '../schema/schema';
import { schemaOf } from '../context/release/release-schema';
import type { ConfigSchema } from '../schema/schema';
import { spotAt } from './position';
import { t } from '../l10n';
import { deprecationNote } from '../schema/deprecations';
import { localizedDescription } from '../schema/descriptions';

function groupLabel(group: string): string {
  const labels: Record<string, string> = {
    model: t('model argument'),
    data: t('data argument'),
    finetuning: t('fine-tuning argument'),
    generating: t('generation argument'),
    evaluation: t('evaluation argument'),
    training: t('LLaMA-Factory training argument'),
    megatron_bridge: t('Megatron Bridge argument'),
    transformers: t('transformers TrainingArguments field'),
    sampling: t('sampling argument'),
  };
  return labels[group] ?? group;
}

export function keyHoverMarkdown(key: string, config: ConfigSchema = v0Schema): string | undefined {
  const schema = keySchema(key, config);
  const meta = schema?.['x-llamafactory'];
  if (!schema || !meta) return undefined;
  const label = `${config.kind === 'llamafactory-v1' ? 'v1 ' : ''}${groupLabel(meta.group)}`;
  const lines = [`**${key}** — ${meta.plugin ? t('{0} (plugin block)', label) : label}`, '', localizedDescription(key, schema.markdownDescription, config.kind)];
  if (meta.commaSeparated) lines.push('', t('Several values may be given separated by commas.'));
  // The schema's English note and this one come from the same fact (facts/deprecations.json).
  const deprecated = schema.deprecationMessage ? deprecationNote(key) : undefined;
  if (deprecated) lines.push('', `⚠ ${deprecated}`);
  if (meta.commands) lines.push('', t('Used by: {0}', meta.commands.map((c) => `\`${c}\``).join(', ')));
  return lines.join('\n');
}

/** A sub-key of a v1 plugin block, as it applies to the block's current `name`. */
export function subKeyHoverMarkdown(plugin: string, name: unknown, sub: string, config: ConfigSchema): string | undefined {
  const block = keySchema(plugin, config);
  const schema = block && pluginSubKeys(block, name)[sub];
  if (!schema) return undefined;
  const title = sub !== 'name' && typeof name === 'string' ? t('setting of the `{0}` block (`name: {1}`)', plugin, name) : t('setting of the `{0}` block', plugin);
  return [`**${plugin}.${sub}** — ${title}`, '', localizedDescription(`${plugin}.${sub}`, schema.markdownDescription, config.kind)].join('\n');
}

/** Another tool's name for a key: where it comes from, and the LLaMA-Factory key it stands for. */
function foreignKeyHoverMarkdown(key: string): string | undefined {
  const fk = foreignKey(key);
  if (!fk) return undefined;
  const own = keyHoverMarkdown(fk.to);
  const head = t('**{0}** — the [{1}]({2}) name for `{3}`; LLaMA-Factory does not know it.', key, fk.tool.name, fk.tool.doc, fk.to);
  return own ? `${head}\n\n---\n\n${own}` : head;
}

function valueHoverMarkdown(key: string, value: unknown): string | undefined {
  const word = foreignValue(key, value);
  if (word) return t('**{0}** — the [{1}]({2}) word; LLaMA-Factory writes `{3}: {4}`.', String(value), word.tool.name, word.tool.doc, key, String(word.to));
  if (key === 'template' && typeof value === 'string') {
    const tpl = lists.templates.find((x) => x.name === value);
    if (!tpl) return undefined;
    const traits = [tpl.multimodal ? t('multimodal') : t('text-only'), tpl.reasoning ? t('reasoning (thinking) template') : undefined, tpl.efficientEos ? t('efficient EOS') : undefined].filter(Boolean);
    return t('**template `{0}`** — built-in chat template ({1}).', tpl.name, traits.join(', '));
  }
  if ((key === 'dataset' || key === 'eval_dataset') && typeof value === 'string' && !value.includes(',')) {
    const d = lists.datasets.find((x) => x.name === value.trim());
    if (!d) return undefined;
    const traits = [t('{0} format', d.formatting), d.ranking ? t('preference pairs (ranking)') : undefined, d.kto ? t('KTO labels') : undefined, d.modalities.length ? d.modalities.join('/') : undefined].filter(Boolean);
    return t('**dataset `{0}`** — LLaMA-Factory built-in dataset ({1}).', d.name, traits.join(', '));
  }
  return undefined;
}

/** The precision guide's view of the analysis: the target GPU and this config's estimates. */
function guideInput(ctx: AnalysisContext): GuideInput {
  return {
    doc: ctx.doc,
    gpu: ctx.target?.gpu,
    whatIf: {
      current: () => {
        const r = estimateReport(ctx);
        return r && { deviceGiB: r.deviceGiB, usableGiB: r.usableGiB, gpuName: r.gpu?.name };
      },
      changed: (changes) => estimateWith(ctx, changes),
    },
  };
}

/** Keys whose hover adds the optimizer steps the data gives. */
const STEP_KEYS = ['num_train_epochs', 'max_steps'];

/** The hover at `p` in the analysed document, in the active language. */
export function hover(ctx: AnalysisContext, p: Position): Hover | null {
  const doc = ctx.doc;
  const config = schemaOf(ctx.release, doc.kind);
  if (!config) return null;
  const spot = spotAt(doc, p);
  if (spot.at === 'none') return null;
  const { entry, sub } = spot;
  if (sub) {
    // No value when its aliases were not expanded (alias-limit).
    const name = (entry.value as Record<string, unknown> | undefined)?.name;
    const md = subKeyHoverMarkdown(entry.key, name, sub.key, config);
    return md ? { contents: { kind: 'markdown', value: md }, range: spot.at === 'key' ? sub.keyRange : sub.valueRange } : null;
  }
  const v0 = config.kind === 'llamafactory-v0';
  const dataMd = spot.at === 'value' && v0 && (entry.key === 'dataset' || entry.key === 'eval_dataset') ? datasetHoverMarkdown(ctx, p) : undefined;
  const valueMd = dataMd ?? (spot.at === 'value' && v0 ? valueHoverMarkdown(entry.key, entry.value) : undefined);
  const ownMd = valueMd ? undefined : (keyHoverMarkdown(entry.key, config) ?? (v0 ? foreignKeyHoverMarkdown(entry.key) : undefined));
  const steps = ownMd && v0 && STEP_KEYS.includes(entry.key) ? stepsHoverMarkdown(ctx) : undefined;
  const keyMd = steps ? `${ownMd}\n\n---\n\n${steps}` : ownMd;
  const guide = keyMd && config.kind === 'llamafactory-v0' ? precisionGuideMarkdown(guideInput(ctx), entry.key) : undefined;
  const md = valueMd ?? (guide ? `${keyMd}\n\n---\n\n${guide}` : keyMd);
  if (!md) return null;
  return { contents: { kind: 'markdown', value: md }, range: spot.at === 'key' ? entry.keyRange : entry.valueRange };
}
