// Schema validation of a config, one mechanism for both formats: ajv checks
// every value against the generated schema of the document's kind (compiled
// once per schema), and each error is mapped back to the YAML node it is
// about, nested plugin sub-keys included. Unknown top-level keys are explained
// by unknown-keys.ts (did-you-mean, internal keys, the other format's spelling).
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isSeq } from 'yaml';
import type { Node, Pair } from 'yaml';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from '../document';
import lists from '../facts/lists.json';
import type { Fix, ScalarValue } from '../fixes';
import { looksLikeBoolean } from '../scalars';
import { closest } from '../text/similar';
import { makeDiagnostic } from '../types';
import { v1SubKeyFor } from './cross-format';
import { foreignValue } from './foreign';
import { keySchema, pluginSubKeys, schemaFor } from './schema';
import type { ConfigSchema, KeySchema, SchemaKind } from './schema';
import { renameFixes, unknownKey } from './unknown-keys';
import { didYouMeanText, t } from '../l10n';

// One compiled validator per schema: main's two, and one per release a workspace uses.
const compiled = new WeakMap<ConfigSchema, ValidateFunction>();
function validator(schema: ConfigSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    // verbose: errors carry the failing sub-schema, whose facts word the message.
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    v = ajv.compile(schema.json);
    compiled.set(schema, v);
  }
  return v;
}

const mcaKeys = new Set(lists.mcaKeys);

/** Fix data for a top-level value written wrongly (a quoted number or boolean, a misspelt choice, another tool's word). */
export function replaceFix(key: string, replacement: ScalarValue, safe: boolean): { fixes: Fix[] } {
  return { fixes: [{ title: t('Set `{0}` to {1}', key, String(replacement)), ops: [{ set: key, value: replacement }], preferred: true, ...(safe ? { safe: true } : {}) }] };
}

/** Unknown keys that get a did-you-mean search; past this many the file is not a config and the search would only cost time. */
const MAX_SUGGESTIONS = 200;

/**
 * What the caller knows beyond main's schema (the user's LLaMA-Factory release,
 * resolved in a higher layer): the schema to check against, an explanation for
 * a key another release accepts, and how that release treats a repeated key.
 */
export interface ValidationHooks {
  schema?: ConfigSchema;
  explainUnknown?(key: string): UnknownKeyHint | undefined;
  duplicate?(entry: ConfigEntry, firstLine: number): { severity: DiagnosticSeverity; message: string } | undefined;
}

export interface UnknownKeyHint {
  message: string;
  /** Keys that stand for the same setting (offered as renames). */
  candidates: string[];
}

/** Checks every top-level entry of a v0 or v1 document against its format's schema (or the hooks' schema). */
export function validateConfig(doc: ConfigDocument, kind: SchemaKind, hooks: ValidationHooks = {}): Diagnostic[] {
  const schema = hooks.schema ?? (schemaFor(kind) as ConfigSchema);
  const out: Diagnostic[] = [];
  let suggestionsLeft = MAX_SUGGESTIONS;
  const values: Record<string, unknown> = {};
  let duplicates = 0;
  for (const entry of doc.entries) {
    const first = doc.byKey.get(entry.key) === entry;
    if (!first) {
      out.push(duplicateKey(doc, entry, ++duplicates <= LINKED_DUPLICATES, hooks));
      continue;
    }
    if (!keySchema(entry.key, schema)) {
      out.push(unknownKey(doc, entry, schema, suggestionsLeft-- > 0, hooks.explainUnknown));
      continue;
    }
    // A choice of the schema in use (an older release's `bitsandbytes`) is no foreign word there.
    const chosen = keySchema(entry.key, schema)?.enum?.includes(entry.value) === true;
    const foreign = schema.kind === 'llamafactory-v0' && !chosen ? foreignWord(entry.key, entry.valueRange, entry.value) : undefined;
    // Another tool's word is reported once, as such, instead of as a type or choice error.
    if (foreign) out.push(foreign);
    else if (entry.value !== undefined) values[entry.key] = entry.value;
    out.push(...keyNotes(entry, schema));
  }
  const validate = validator(schema);
  if (!validate(values)) {
    for (const err of validate.errors ?? []) {
      const d = mapError(doc, err, schema);
      if (d) out.push(d);
    }
  }
  return out;
}

/**
 * Duplicates that also link to the first occurrence. Past this many the file is
 * configs pasted together; the message still names the line, and leaving the link
 * out keeps each publish of such a file about a third smaller and faster.
 */
const LINKED_DUPLICATES = 100;

function duplicateKey(doc: ConfigDocument, entry: ConfigEntry, link: boolean, hooks: ValidationHooks): Diagnostic {
  const first = doc.byKey.get(entry.key) as ConfigEntry;
  const line = first.keyRange.start.line + 1;
  const { severity, message } = hooks.duplicate?.(entry, line) ?? {
    severity: DiagnosticSeverity.Error,
    message: t('`{0}` is already set on line {1}. LLaMA-Factory refuses a file that repeats a key; keep one of them.', entry.key, line),
  };
  // Which of the two to keep is the user's choice: removing this one is offered, never applied unasked.
  const fix: Fix = { title: t('Remove this repeated `{0}`', entry.key), ops: [{ remove: entry.key, at: entry.keyRange }] };
  const d = makeDiagnostic(entry.keyRange, severity, 'duplicate-key', message, { fixes: [fix] });
  if (link) d.relatedInformation = [{ location: { uri: doc.uri, range: first.keyRange }, message: t('first occurrence') }];
  return d;
}

/** Warnings that belong to a known key itself: it needs an environment variable. (Deprecations are a rule.) */
function keyNotes(entry: ConfigEntry, schema: ConfigSchema): Diagnostic[] {
  const meta = keySchema(entry.key, schema)?.['x-llamafactory'];
  const out: Diagnostic[] = [];
  if (meta?.requiresEnv) {
    const env = mcaKeys.has(entry.key) ? t('USE_MCA=1 or {0}', meta.requiresEnv) : meta.requiresEnv;
    out.push(makeDiagnostic(entry.keyRange, DiagnosticSeverity.Warning, 'requires-env',
      t('`{0}` is accepted only when the job is launched with {1}; otherwise it is an unknown key.', entry.key, env)));
  }
  return out;
}

function mapError(doc: ConfigDocument, err: ErrorObject, schema: ConfigSchema): Diagnostic | undefined {
  const path = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (path.length === 0) return undefined; // top-level additionalProperties is reported by unknownKey
  const entry = doc.byKey.get(path[0]);
  if (!entry) return undefined;
  const range = rangeAt(doc, entry, path.slice(1));
  const value = valueAt(entry.value, path.slice(1));
  // Messages name nested keys with dots (`peft_config.r`); list indexes are left out.
  const key = path.filter((p) => !/^\d+$/.test(p)).join('.');
  const topLevel = path.length === 1;
  switch (err.keyword) {
    case 'type':
      return typeError(entry, key, range, value, String(err.params.type), topLevel);
    case 'enum':
      return choiceError(key, range, value, err.params.allowedValues as unknown[], topLevel);
    case 'pattern':
      return patternError(key, range, value, err.parentSchema as KeySchema | undefined);
    case 'additionalProperties':
      return unknownSubKey(doc, entry, path, String(err.params.additionalProperty), schema);
    case 'required':
      return makeDiagnostic(topLevel ? entry.keyRange : range, DiagnosticSeverity.Error, 'plugin-missing-key', missingMessage(key, String(err.params.missingProperty), value));
    case 'if':
      return undefined; // the failing `then` branch is reported on its own
    default:
      return makeDiagnostic(range, DiagnosticSeverity.Error, 'invalid-value', t('`{0}`: {1}.', key, err.message ?? t('invalid value')));
  }
}

function missingMessage(key: string, missing: string, value: unknown): string {
  if (missing === 'name') return t('`{0}` has no `name`, so LLaMA-Factory cannot tell which plugin to load and stops. Add `name:`.', key);
  const name = (value as Record<string, unknown> | undefined)?.name;
  return t('`{0}` with `name: {1}` needs `{2}`; LLaMA-Factory stops without it.', key, String(name), missing);
}

/** A pattern failure: a plugin block given as a string that is not JSON, or a comma list with an unknown item. */
function patternError(key: string, range: Range, value: unknown, failing: KeySchema | undefined): Diagnostic {
  const choices = failing?.['x-llamafactory']?.choices;
  if (choices && typeof value === 'string') {
    const unknown = value.split(',').map((s) => s.trim()).filter((s) => !choices.includes(s));
    const suggestion = unknown.length === 1 ? (choices.find((c) => unknown[0] !== '' && c.startsWith(unknown[0])) ?? closest(unknown[0], choices, 3)) : undefined;
    return makeDiagnostic(range, DiagnosticSeverity.Error, 'invalid-choice',
      t('`{0}` names {1}, which LLaMA-Factory does not have. Allowed (comma-separated): {2}.', key, unknown.map((u) => `"${u}"`).join(', ') || t('an empty item'), choices.join(', ')) + didYouMeanText(suggestion));
  }
  return makeDiagnostic(range, DiagnosticSeverity.Error, 'type-mismatch',
    t('`{0}` is text, but a plugin block must be a mapping (or a JSON object string starting with `{`).', key));
}

/** A sub-key a strict plugin block does not accept; the v0 spelling of a v1 sub-key gets the v1 name. */
function unknownSubKey(doc: ConfigDocument, entry: ConfigEntry, path: string[], sub: string, schema: ConfigSchema): Diagnostic | undefined {
  const pair = nestedPair(entry, path, sub);
  if (!pair || path.length !== 1) return undefined;
  const plugin = keySchema(entry.key, schema) as KeySchema;
  const name = (entry.value as Record<string, unknown>).name;
  const known = Object.keys(pluginSubKeys(plugin, name));
  const suggestion = v1SubKeyFor(entry.key, sub) ?? closest(sub, known);
  const hint = suggestion ? didYouMeanText(suggestion) : ` ${t('It accepts: {0}.', known.join(', '))}`;
  const range = keyRangeOf(doc, pair);
  return makeDiagnostic(range, DiagnosticSeverity.Error, 'unknown-key',
    t('`{0}` with `name: {1}` has no `{2}` setting; LLaMA-Factory refuses unknown plugin parameters.', entry.key, String(name), sub) + hint,
    renameFixes(sub, range, suggestion ? [suggestion] : []));
}

function nestedPair(entry: ConfigEntry, path: string[], sub: string): Pair | undefined {
  let node: Node | null | undefined = entry.node;
  for (const p of path.slice(1)) node = isMap(node) ? (node.items.find((i) => scalarKey(i) === p)?.value as Node | null) : null;
  return isMap(node) ? node.items.find((i) => scalarKey(i) === sub) : undefined;
}

function scalarKey(pair: Pair): string {
  return String((pair.key as { value?: unknown } | null)?.value);
}

function keyRangeOf(doc: ConfigDocument, pair: Pair): Range {
  const [s, e] = (pair.key as Node | null)?.range ?? [0, 0];
  return { start: doc.positionAt(s), end: doc.positionAt(e) };
}

function typeError(entry: ConfigEntry, key: string, range: Range, value: unknown, expected: string, topLevel: boolean): Diagnostic | undefined {
  const wanted = expected.split(',');
  // `None` for a nullable key is the python-none-string rule's finding, with its fix.
  if (topLevel && value === 'None' && wanted.includes('null')) return undefined;
  if (typeof value === 'string' && wanted.includes('boolean') && looksLikeBoolean(value)) {
    const truthy = value.length > 0;
    const meant = /^(true|yes|on)$/i.test(value);
    // Writing the word unquoted keeps what LLaMA-Factory does only when Python already read the text as true.
    const data = topLevel ? replaceFix(key, meant, meant === truthy) : undefined;
    return makeDiagnostic(range, DiagnosticSeverity.Error, 'string-boolean',
      meant
        ? t('`{0}` is the quoted string "{1}", not a boolean. LLaMA-Factory does not convert it, and Python treats any non-empty string as true. Write {2} without quotes.', key, value, String(meant))
        : t('`{0}` is the quoted string "{1}", not a boolean. LLaMA-Factory does not convert it, and Python treats any non-empty string as {2}, so this switches it ON. Write {3} without quotes.', key, value, String(truthy), String(meant)), data);
  }
  if (typeof value === 'string' && (wanted.includes('number') || wanted.includes('integer')) && (entry.quoted || !topLevel) && value.trim() !== '' && !Number.isNaN(Number(value))) {
    const n = Number(value);
    if (!wanted.includes('integer') || Number.isInteger(n)) {
      const data = topLevel ? replaceFix(key, n, true) : undefined;
      return makeDiagnostic(range, DiagnosticSeverity.Error, 'string-number',
        t('`{0}` is the quoted string "{1}"; LLaMA-Factory passes it on as text and arithmetic on it fails. Remove the quotes.', key, value), data);
    }
  }
  if (typeof value === 'string' && wanted.includes('integer') && /^[-+]?[0-9.]+e[-+]?[0-9]+$/i.test(value)) {
    return makeDiagnostic(range, DiagnosticSeverity.Error, 'type-mismatch',
      t('`{0}` must be a whole number; "{1}" is read as text. Write the number in full.', key, value));
  }
  return makeDiagnostic(range, DiagnosticSeverity.Error, 'type-mismatch',
    t('`{0}` expects {1} but got {2}. LLaMA-Factory does not convert values, so this fails or misbehaves at launch.', key, describeTypes(wanted), describeValue(value)));
}

/** A value written in another tool's words (`eager`, `4bit`, `bf16: auto`): the LLaMA-Factory word is the fix. */
function foreignWord(key: string, range: Range, value: unknown): Diagnostic | undefined {
  const word = foreignValue(key, value);
  if (!word) return undefined;
  const data = replaceFix(key, word.to, word.safe);
  return makeDiagnostic(range, DiagnosticSeverity.Error, 'foreign-value',
    t('{0} is the {1} word; LLaMA-Factory does not accept it for `{2}` and stops. Write `{2}: {3}`.', capitalize(describeValue(value)), word.tool.name, key, String(word.to)), data);
}

function choiceError(key: string, range: Range, value: unknown, allowed: unknown[], topLevel: boolean): Diagnostic {
  const names = allowed.filter((a): a is string => typeof a === 'string');
  const suggestion = typeof value === 'string' ? closest(value, names, 3) : undefined;
  const listed = allowed.map((a) => (a === null ? 'null' : String(a))).join(', ');
  // A choice within a few letters of the one written is a misspelling of it.
  const data = suggestion !== undefined && topLevel ? replaceFix(key, suggestion, true) : undefined;
  return makeDiagnostic(range, DiagnosticSeverity.Error, 'invalid-choice',
    t('{0} is not a valid `{1}`. Allowed: {2}.', capitalize(describeValue(value)), key, listed) + didYouMeanText(suggestion), data);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function describeTypes(types: string[]): string {
  const words: Record<string, string> = { boolean: 'true/false', integer: t('a whole number'), number: t('a number'), string: t('text'), null: 'null', array: t('a list'), object: t('a mapping') };
  return types.map((w) => words[w] ?? w).join(` ${t('or')} `);
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return t('a list');
  if (typeof v === 'object') return t('a mapping');
  if (typeof v === 'string') return t('the text "{0}"', v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `\`${String(v)}\``;
}

function valueAt(value: unknown, path: string[]): unknown {
  let v = value;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

/** Range of the nested node at `path` under an entry's value, falling back to the closest ancestor. */
function rangeAt(doc: ConfigDocument, entry: ConfigEntry, path: string[]): Range {
  let node: Node | null | undefined = entry.node;
  for (const p of path) {
    let next: unknown;
    if (isSeq(node)) next = node.items[Number(p)];
    else if (isMap(node)) next = node.items.find((i) => String((i.key as { value?: unknown })?.value) === p)?.value;
    if (!next || typeof next !== 'object' || !('range' in next)) break;
    node = next as Node;
  }
  if (!node || node === entry.node) return entry.valueRange;
  const [s, e] = node.range ?? [0, 0];
  return { start: doc.positionAt(s), end: doc.positionAt(e) };
}
