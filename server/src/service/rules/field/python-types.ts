// Values that look right as JavaScript numbers and strings but reach
// LLaMA-Factory as the wrong Python object: HfArgumentParser.parse_dict does not
// convert what the YAML loader produced, so `cutoff_len: 2048.0` arrives as a
// float where the dataclass says int, and `None` arrives as the text "None".
import type { ConfigEntry } from '../../document';
import { pythonTypeOf } from '../../scalars';
import type { PythonType } from '../../scalars';
import { keySchema } from '../../schema/schema';
import type { KeySchema } from '../../schema/schema';
import type { AnalysisContext } from '../../context';
import { defineRule, ERROR } from '../rule';
import { t } from '../../l10n';

function types(schema: KeySchema): string[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** The source text of a scalar value. */
function sourceOf(ctx: AnalysisContext, entry: ConfigEntry): string {
  return ctx.doc.text.slice(ctx.doc.offsetAt(entry.valueRange.start), ctx.doc.offsetAt(entry.valueRange.end));
}

function pythonType(ctx: AnalysisContext, entry: ConfigEntry): PythonType | undefined {
  if (entry.node || entry.value === undefined) return undefined;
  return pythonTypeOf(sourceOf(ctx, entry), entry.quoted);
}

/** Keys whose value counts or sizes something: Python's range(), slicing and tensor shapes refuse a float there. */
function usedAsCount(key: string): boolean {
  return /(_size|_len|_steps|_samples|_workers|_rank|_epochs|_layers|_nsamples|_maxlen|seed|_limit|_tokens|_interval|top_k|num_beams|n_shot)$/.test(key);
}

/** `cutoff_len: 2048.0`: a Python float where the dataclass declares an int. */
export const floatForInt = defineRule({
  codes: ['python-float-for-int'],
  check: (ctx) => [...ctx.doc.byKey.values()].map((entry) => {
    const schema = keySchema(entry.key);
    if (!schema || typeof entry.value !== 'number') return undefined;
    const wanted = types(schema);
    // A fraction (8.5) is a JavaScript non-integer too, which the schema check already reports.
    if (!wanted.includes('integer') || wanted.includes('number') || !Number.isSafeInteger(entry.value) || pythonType(ctx, entry) !== 'float') return undefined;
    const use = usedAsCount(entry.key)
      ? t('It counts or sizes something, and Python refuses a float there (TypeError).')
      : t('Code that expects an int may fail or behave differently with a float.');
    return {
      code: 'python-float-for-int',
      severity: ERROR,
      at: entry.key,
      onValue: true,
      message: t('`{0}` is written as a float ({1}), and LLaMA-Factory passes it on unconverted where its dataclass declares an int.', entry.key, sourceOf(ctx, entry)) + ` ${use}`,
      // The same number written as an int: notation only.
      fixes: [{ title: t('Write {0}', String(entry.value)), ops: [{ set: entry.key, value: entry.value }], preferred: true, safe: true }],
    };
  }),
});

/** `resume_from_checkpoint: None`: YAML has no None, so Python receives the text "None". */
export const noneString = defineRule({
  codes: ['python-none-string'],
  check: (ctx) => [...ctx.doc.byKey.values()].map((entry) => {
    if (entry.value !== 'None') return undefined;
    const schema = keySchema(entry.key);
    if (!schema || !types(schema).includes('null')) return undefined;
    const choices = schema.enum ?? schema['x-llamafactory']?.choices;
    if (Array.isArray(choices) && choices.includes('None')) return undefined;
    return {
      code: 'python-none-string',
      severity: ERROR,
      at: entry.key,
      onValue: true,
      message: t('`{0}: None` is the text "None" in YAML, not Python\'s None: LLaMA-Factory uses it as a name or path and fails. Write `null` (or delete the line) for "not set".', entry.key),
      // The word None says "not set": writing YAML's null is notation only.
      fixes: [{ title: t('Write null'), ops: [{ set: entry.key, value: null }], preferred: true, safe: true }],
    };
  }),
});

/**
 * `report_to: wandb,tensorboard`: transformers takes a string as one logger's name
 * (it never splits on commas), so the run stops with "wandb,tensorboard is not supported".
 */
export const commaStringList = defineRule({
  codes: ['python-comma-string-list'],
  appliesTo: { commands: ['train'] },
  check: (ctx) => {
    const entry = ctx.doc.byKey.get('report_to');
    if (!entry || typeof entry.value !== 'string' || !entry.value.includes(',')) return undefined;
    const items = entry.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const choices = keySchema('report_to')?.items?.enum ?? [];
    if (items.length < 2 || !items.every((i) => choices.includes(i))) return undefined;
    return {
      code: 'python-comma-string-list',
      severity: ERROR,
      at: 'report_to',
      onValue: true,
      message: t('`report_to` is one string, and transformers takes a string as a single logger\'s name without splitting it on commas, so the run stops. Write the loggers as a YAML list: `[{0}]`.', items.join(', ')),
      // The same loggers, in the notation transformers reads.
      fixes: [{ title: t('Write `[{0}]`', items.join(', ')), ops: [{ setList: 'report_to', items }], preferred: true, safe: true }],
    };
  },
});
