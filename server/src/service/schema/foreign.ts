// Names from other fine-tuning tools (Axolotl, TRL, PEFT, Unsloth, transformers,
// Hugging Face scripts) written into a LLaMA-Factory config: which LLaMA-Factory
// key each one is, and how its value translates (facts/foreign-names.json is the
// one table; this module only reads it). A translation is a list of key
// operations, so the quick-fix keeps every other byte of the file.
import type { ConfigDocument, ConfigEntry } from '../document';
import type { KeyOp } from '../fixes';
import table from '../facts/foreign-names.json';
import lists from '../facts/lists.json';
import { keySchema } from './schema';
import { t } from '../l10n';

type Scalar = string | number | boolean | null;

export interface ForeignTool {
  name: string;
  doc: string;
}

export interface ForeignKey {
  key: string;
  tool: ForeignTool;
  /** The LLaMA-Factory key it corresponds to. */
  to: string;
  translate: string;
  safe: boolean;
  note?: string;
}

export interface ForeignValue {
  tool: ForeignTool;
  to: Scalar;
  safe: boolean;
}

/** What the foreign entry becomes: key operations, whether they keep the meaning, and the result for titles. */
export interface Translation {
  ops: KeyOp[];
  safe: boolean;
  /** `key: value` lines the fix writes (empty when it only removes the foreign key). */
  writes: string[];
}

interface KeyRow { tool: string; to: string; translate: string; safe: boolean; note?: string }
interface ValueRow { tool: string; to: Scalar; safe: boolean }

const tools = table.tools as Record<string, ForeignTool>;
const keys = table.keys as Record<string, KeyRow>;
const values = table.values as Record<string, Record<string, ValueRow>>;
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The foreign name `key`, if the table has it. */
export function foreignKey(key: string): ForeignKey | undefined {
  if (!own(keys, key)) return undefined;
  const row = keys[key];
  return { key, tool: tools[row.tool], to: row.to, translate: row.translate, safe: row.safe, ...(row.note ? { note: row.note } : {}) };
}

/** The extra sentence a foreign name's `note` asks for. */
export function foreignNote(note: string | undefined): string {
  switch (note) {
    case 'wandb-env':
      return t('LLaMA-Factory takes the W&B project from the WANDB_PROJECT environment variable.');
    case 'dataset-registry':
      return t('LLaMA-Factory names datasets registered in dataset_info.json, as one comma-separated string.');
    case 'text-column':
      return t('LLaMA-Factory maps columns in the dataset\'s dataset_info.json entry (`columns: {prompt: text}` for a plain-text corpus).');
    case 'hub-dataset':
      return t('LLaMA-Factory names datasets registered in dataset_info.json (a Hub dataset needs an entry with `hf_hub_url`).');
    default:
      return '';
  }
}

/** Every foreign name with its row (for docs and tests). */
export function foreignKeys(): ForeignKey[] {
  return Object.keys(keys).map((k) => foreignKey(k) as ForeignKey);
}

/** Another tool's word for a value of LLaMA-Factory's `key` (`eager` for flash_attn), with the LLaMA-Factory word. */
export function foreignValue(key: string, value: unknown): ForeignValue | undefined {
  if (!own(values, key) || (typeof value !== 'string' && typeof value !== 'boolean') || validWord(key, value)) return undefined;
  const words = values[key];
  const word = String(value);
  if (!own(words, word)) return undefined;
  const row = words[word];
  return { tool: tools[row.tool], to: row.to, safe: row.safe };
}

const templateNames = new Set(lists.templates.map((t) => t.name));

/** Whether `value` is already a LLaMA-Factory word for `key`. */
function validWord(key: string, value: unknown): boolean {
  if (key === 'template') return typeof value === 'string' && templateNames.has(value);
  const schema = keySchema(key);
  const choices = schema?.enum ?? schema?.['x-llamafactory']?.choices;
  return Array.isArray(choices) && choices.includes(value as never);
}

const isFalsy = (v: unknown) => v === false || v === null || v === undefined || v === '' || v === 0;

function flagValue(word: string): Scalar {
  return /^\d+$/.test(word) ? Number(word) : word;
}

/** The LLaMA-Factory value for a foreign entry, or `undefined` when there is none; `null` means "drop the key". */
function translatedValue(fk: ForeignKey, value: unknown): { value: Scalar | null; safe: boolean } | undefined {
  const [how, arg] = fk.translate.split(':');
  switch (how) {
    case 'same':
      return isScalar(value) ? { value, safe: fk.safe } : undefined;
    case 'module-list': {
      const list = Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(',') : value;
      if (typeof list !== 'string') return undefined;
      return { value: foreignValue(fk.to, list)?.to ?? list, safe: fk.safe };
    }
    case 'flag':
      return { value: isFalsy(value) ? null : flagValue(arg), safe: fk.safe };
    case 'const':
      return { value: arg, safe: fk.safe };
    case 'negate':
      return typeof value === 'boolean' ? { value: !value, safe: fk.safe } : undefined;
    case 'percent':
      return typeof value === 'number' ? { value: Number((value / 100).toPrecision(12)), safe: fk.safe } : undefined;
    case 'vocabulary': {
      if (validWord(fk.to, value)) return { value: value as Scalar, safe: fk.safe };
      const word = foreignValue(fk.to, value);
      return word ? { value: word.to, safe: fk.safe && word.safe } : undefined;
    }
    case 'adapter':
      if (isFalsy(value)) return { value: 'full', safe: fk.safe };
      return value === 'lora' || value === 'qlora' ? { value: 'lora', safe: fk.safe } : undefined;
    case 'checkpointing':
      // LLaMA-Factory checkpoints by default; `unsloth` selects Unsloth's variant (use_unsloth_gc).
      if (value === true) return { value: null, safe: fk.safe };
      return value === false ? { value: true, safe: fk.safe } : undefined;
    case 'dtype':
      return dtypeFlag(value, fk.safe);
    default:
      return undefined;
  }
}

function isScalar(v: unknown): v is Scalar {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** bf16/fp16 from a dtype name; float32 and auto need no flag. */
function dtypeFlag(value: unknown, safe: boolean): { value: Scalar | null; safe: boolean } | undefined {
  const v = typeof value === 'string' ? value.replace(/^torch\./, '').toLowerCase() : value;
  if (v === 'bfloat16' || v === 'bf16') return { value: true, safe };
  if (v === 'float16' || v === 'fp16' || v === 'half') return { value: true, safe };
  if (v === 'float32' || v === 'fp32' || v === 'auto' || v === null) return { value: null, safe };
  return undefined;
}

/** The LLaMA-Factory key a dtype name turns on. */
function dtypeKey(value: unknown): string {
  const v = typeof value === 'string' ? value.replace(/^torch\./, '').toLowerCase() : '';
  return v === 'float16' || v === 'fp16' || v === 'half' ? 'fp16' : 'bf16';
}

/** The LLaMA-Factory key the foreign entry becomes (Unsloth's `unsloth` checkpointing and fp16 dtypes pick another key). */
function targetKey(fk: ForeignKey, value: unknown): string {
  if (fk.translate === 'dtype') return dtypeKey(value);
  if (fk.translate === 'checkpointing' && value === 'unsloth') return 'use_unsloth_gc';
  return fk.to;
}

/** Foreign keys earlier in the file that become `key` too: the later one is dropped rather than duplicated. */
function claimedEarlier(doc: ConfigDocument, entry: ConfigEntry, key: string): boolean {
  for (const e of doc.entries) {
    if (e === entry) return false;
    const other = foreignKey(e.key);
    if (other && targetKey(other, e.value) === key && translatedValue(other, e.value)?.value !== null) return true;
  }
  return false;
}

const show = (key: string, value: Scalar) => `${key}: ${value === null ? 'null' : String(value)}`;

/** How the foreign entry becomes LLaMA-Factory config, or undefined when it cannot be translated. */
export function translateForeign(doc: ConfigDocument, entry: ConfigEntry, fk: ForeignKey): Translation | undefined {
  const value = fk.translate === 'checkpointing' && entry.value === 'unsloth' ? { value: true, safe: fk.safe } : translatedValue(fk, entry.value);
  if (!value) return undefined;
  const to = targetKey(fk, entry.value);
  // Removing a key is never marked safe (the project's rule for fix-all), even where LLaMA-Factory's default does the same.
  if (value.value === null) return { ops: [{ remove: entry.key }], safe: false, writes: [] };
  const existing = doc.byKey.get(to);
  if (existing || claimedEarlier(doc, entry, to)) {
    // The LLaMA-Factory key is already there: the foreign one can only go.
    return { ops: [{ remove: entry.key }], safe: false, writes: [] };
  }
  const sameValue = value.value === entry.value;
  const ops: KeyOp[] = [sameValue ? { rename: entry.key, to } : { rename: entry.key, to, value: value.value }];
  const writes = [show(to, value.value)];
  if (fk.translate === 'adapter' && entry.value === 'qlora' && !quantizedElsewhere(doc)) {
    ops.push({ set: 'quantization_bit', value: 4, after: entry.key });
    writes.push(show('quantization_bit', 4));
  }
  return { ops, safe: value.safe, writes };
}

/** A 4/8-bit setting the file already carries (LLaMA-Factory's or a foreign flag that becomes one). */
function quantizedElsewhere(doc: ConfigDocument): boolean {
  return doc.byKey.has('quantization_bit') || doc.entries.some((e) => foreignKey(e.key)?.to === 'quantization_bit' && !isFalsy(e.value));
}
