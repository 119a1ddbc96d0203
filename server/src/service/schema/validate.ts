// Schema validation of a v0 config: ajv checks every value against the
// generated schema (compiled once), and each error is mapped back to the YAML
// node it is about. Unknown keys get their own handling for did-you-mean and
// the keys that only exist under an environment variable or one transformers major.
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { ConfigDocument, ConfigEntry } from '../document';
import lists from '../facts/lists.json';
import { looksLikeBoolean } from '../scalars';
import { closest } from '../text/similar';
import { makeDiagnostic } from '../types';
import { keySchema, v0Keys, v0Schema } from './schema';

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    compiled = ajv.compile(v0Schema);
  }
  return compiled;
}

const internalKeys = new Set(v0Schema['x-llamafactory-internal']);
const mcaKeys = new Set(lists.mcaKeys);

/** Data attached to diagnostics so code actions can act without re-deriving. */
export interface ReplaceData {
  key: string;
  replacement: string | number | boolean | null;
}
export interface RenameData {
  key: string;
  candidates: string[];
}

/** Unknown keys that get a did-you-mean search; past this many the file is not a config and the search would only cost time. */
const MAX_SUGGESTIONS = 200;

export function validateV0(doc: ConfigDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  let suggestionsLeft = MAX_SUGGESTIONS;
  const values: Record<string, unknown> = {};
  for (const entry of doc.entries) {
    const first = doc.byKey.get(entry.key) === entry;
    if (!first) {
      out.push(duplicateKey(doc, entry));
      continue;
    }
    if (!keySchema(entry.key)) {
      out.push(unknownKey(entry, suggestionsLeft-- > 0));
      continue;
    }
    if (entry.value !== undefined) values[entry.key] = entry.value;
    out.push(...keyNotes(entry));
  }
  const validate = validator();
  if (!validate(values)) {
    for (const err of validate.errors ?? []) {
      const d = mapError(doc, err);
      if (d) out.push(d);
    }
  }
  return out;
}

function duplicateKey(doc: ConfigDocument, entry: ConfigEntry): Diagnostic {
  const first = doc.byKey.get(entry.key) as ConfigEntry;
  const d = makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, 'duplicate-key',
    `\`${entry.key}\` is already set on line ${first.keyRange.start.line + 1}. LLaMA-Factory refuses a file that repeats a key; keep one of them.`);
  d.relatedInformation = [{ location: { uri: doc.uri, range: first.keyRange }, message: 'first occurrence' }];
  return d;
}

function unknownKey(entry: ConfigEntry, suggest: boolean): Diagnostic {
  const key = entry.key;
  if (internalKeys.has(key)) {
    return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, 'internal-key',
      `\`${key}\` is computed by LLaMA-Factory itself and cannot be set in a config; remove it.`);
  }
  if (mcaKeys.has(key)) {
    return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Warning, 'requires-env',
      `\`${key}\` is a Megatron-Core setting: it is accepted only when the job is launched with USE_MCA=1; without it LLaMA-Factory stops with an unknown-key error.`);
  }
  const suggestion = suggest ? closest(key, v0Keys) : undefined;
  const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
  const data: RenameData = { key, candidates: suggestion ? [suggestion] : [] };
  return makeDiagnostic(entry.keyRange, DiagnosticSeverity.Error, 'unknown-key',
    `LLaMA-Factory does not know the key \`${key}\` and will stop before training.${hint}`, data);
}

/** Warnings that belong to a known key itself: it needs an environment variable. (Deprecations are a rule.) */
function keyNotes(entry: ConfigEntry): Diagnostic[] {
  const schema = keySchema(entry.key);
  if (!schema) return [];
  const meta = schema['x-llamafactory'];
  const out: Diagnostic[] = [];
  if (meta.requiresEnv) {
    const env = mcaKeys.has(entry.key) ? `USE_MCA=1 or ${meta.requiresEnv}` : meta.requiresEnv;
    out.push(makeDiagnostic(entry.keyRange, DiagnosticSeverity.Warning, 'requires-env',
      `\`${entry.key}\` is accepted only when the job is launched with ${env}; otherwise it is an unknown key.`));
  }
  return out;
}

function mapError(doc: ConfigDocument, err: ErrorObject): Diagnostic | undefined {
  const path = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (path.length === 0) return undefined; // additionalProperties is reported by unknownKey
  const entry = doc.byKey.get(path[0]);
  if (!entry) return undefined;
  const range = rangeAt(doc, entry, path.slice(1));
  const value = valueAt(entry.value, path.slice(1));
  const key = path[0];
  switch (err.keyword) {
    case 'type':
      return typeError(entry, key, range, value, String(err.params.type));
    case 'enum':
      return choiceError(key, range, value, err.params.allowedValues as unknown[]);
    default:
      return makeDiagnostic(range, DiagnosticSeverity.Error, 'invalid-value', `\`${key}\`: ${err.message ?? 'invalid value'}.`);
  }
}

function typeError(entry: ConfigEntry, key: string, range: Range, value: unknown, expected: string): Diagnostic {
  const wanted = expected.split(',');
  if (typeof value === 'string' && wanted.includes('boolean') && looksLikeBoolean(value)) {
    const truthy = value.length > 0;
    const meant = /^(true|yes|on)$/i.test(value);
    const data: ReplaceData = { key, replacement: meant };
    return makeDiagnostic(range, DiagnosticSeverity.Error, 'string-boolean',
      `\`${key}\` is the quoted string "${value}", not a boolean. LLaMA-Factory does not convert it, and Python treats any non-empty string as ${truthy ? 'true' : 'false'}${meant ? '' : ', so this switches it ON'}. Write ${meant} without quotes.`, data);
  }
  if (typeof value === 'string' && (wanted.includes('number') || wanted.includes('integer')) && entry.quoted && value.trim() !== '' && !Number.isNaN(Number(value))) {
    const n = Number(value);
    if (!wanted.includes('integer') || Number.isInteger(n)) {
      const data: ReplaceData = { key, replacement: n };
      return makeDiagnostic(range, DiagnosticSeverity.Error, 'string-number',
        `\`${key}\` is the quoted string "${value}"; LLaMA-Factory passes it on as text and arithmetic on it fails. Remove the quotes.`, data);
    }
  }
  if (typeof value === 'string' && wanted.includes('integer') && /^[-+]?[0-9.]+e[-+]?[0-9]+$/i.test(value)) {
    return makeDiagnostic(range, DiagnosticSeverity.Error, 'type-mismatch',
      `\`${key}\` must be a whole number; "${value}" is read as text. Write the number in full.`);
  }
  return makeDiagnostic(range, DiagnosticSeverity.Error, 'type-mismatch',
    `\`${key}\` expects ${describeTypes(wanted)} but got ${describeValue(value)}. LLaMA-Factory does not convert values, so this fails or misbehaves at launch.`);
}

function choiceError(key: string, range: Range, value: unknown, allowed: unknown[]): Diagnostic {
  const names = allowed.filter((a): a is string => typeof a === 'string');
  const suggestion = typeof value === 'string' ? closest(value, names, 3) : undefined;
  const listed = allowed.map((a) => (a === null ? 'null' : String(a))).join(', ');
  const data: ReplaceData | undefined = suggestion !== undefined ? { key, replacement: suggestion } : undefined;
  return makeDiagnostic(range, DiagnosticSeverity.Error, 'invalid-choice',
    `${capitalize(describeValue(value))} is not a valid \`${key}\`. Allowed: ${listed}.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`, data);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function describeTypes(types: string[]): string {
  const words: Record<string, string> = { boolean: 'true/false', integer: 'a whole number', number: 'a number', string: 'text', null: 'null', array: 'a list', object: 'a mapping' };
  return types.map((t) => words[t] ?? t).join(' or ');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `\`${String(v)}\``;
}

function valueAt(value: unknown, path: string[]): unknown {
  let v = value;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

/** Range of the nested node at `path` under an entry's value, falling back to the closest ancestor. */
function rangeAt(doc: ConfigDocument, entry: ConfigEntry, path: string[]): Range {
  let node = entry.pair.value as Node | null;
  for (const p of path) {
    let next: unknown;
    if (isSeq(node)) next = node.items[Number(p)];
    else if (isMap(node)) next = node.items.find((i) => String((i.key as { value?: unknown })?.value) === p)?.value;
    if (!next || typeof next !== 'object' || !('range' in next)) break;
    node = next as Node;
  }
  if (!node || node === entry.pair.value) return entry.valueRange;
  const [s, e] = node.range ?? [0, 0];
  return { start: doc.positionAt(s), end: doc.positionAt(e) };
}
