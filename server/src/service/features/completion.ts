// Completion, driven by the schema of the document's format: keys not yet in
// the file (with their default as the value), allowed values of the key under
// the cursor, v0 templates and dataset names, and inside a v1 plugin block its
// sub-keys and their values.
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver-types';
import type { CompletionItem, Position, Range } from 'vscode-languageserver-types';
import { datasetCatalog } from '../datasets';
import type { ConfigDocument } from '../document';
import { formatScalar } from '../edits';
import lists from '../facts/lists.json';
import { keySchema, pluginSubKeys } from '../schema/schema';
import { schemaOf } from '../context/release/release-schema';
import type { ConfigSchema, KeySchema } from '../schema/schema';
import type { ServiceHost } from '../types';
import type { ResolvedRelease } from '../context/release/resolve';
import { keyHoverMarkdown, subKeyHoverMarkdown } from './hover';
import { enclosingKey, linePrefix } from './position';
import { t } from '../l10n';

const KEY_LINE = /^([A-Za-z_][\w.-]*)\s*:\s*(.*)$/;

export function complete(doc: ConfigDocument, p: Position, configPath: string, host: ServiceHost, release?: ResolvedRelease): CompletionItem[] {
  const config = schemaOf(release, doc.kind);
  if (!config) return [];
  const prefix = linePrefix(doc, p);
  const indented = /^(\s+)(.*)$/.exec(prefix);
  if (indented) return subItems(doc, config, p, indented[1].length, indented[2]);
  const keyLine = KEY_LINE.exec(prefix);
  if (keyLine) return valueItems(doc, config, keyLine[1], keyLine[2], p, configPath, host, release);
  if (/^[A-Za-z_]*$/.test(prefix)) return keyItems(doc, config, prefix, p);
  return [];
}

function keyItem(label: string, s: KeySchema, range: Range, order: number, docs: string): CompletionItem {
  const value = s.default === null || s.default === undefined || typeof s.default === 'object' ? '' : formatScalar(s.default as string | number | boolean);
  const type = s.type ?? 'mapping';
  const item: CompletionItem = {
    label,
    kind: CompletionItemKind.Property,
    detail: Array.isArray(type) ? type.join(' | ') : type,
    documentation: { kind: MarkupKind.Markdown, value: docs },
    textEdit: { range, newText: `${label}: \${1:${value.replace(/[$}\\]/g, '\\$&')}}` },
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: String(order).padStart(4, '0'),
    filterText: label,
  };
  if (s.deprecationMessage) item.tags = [1 /* Deprecated */];
  return item;
}

function keyItems(doc: ConfigDocument, config: ConfigSchema, typed: string, p: Position): CompletionItem[] {
  const range = { start: { line: p.line, character: 0 }, end: p };
  return config.keys
    .filter((k) => !doc.byKey.has(k) || k === typed)
    .map((k, i) => keyItem(k, keySchema(k, config)!, range, i, keyHoverMarkdown(k, config) ?? ''));
}

/** An indented line: a sub-key (or its value) of the plugin block above. */
function subItems(doc: ConfigDocument, config: ConfigSchema, p: Position, indent: number, typed: string): CompletionItem[] {
  const plugin = enclosingKey(doc, p.line);
  const block = plugin ? keySchema(plugin, config) : undefined;
  if (!plugin || !block?.['x-llamafactory']?.plugin) return [];
  const current = doc.byKey.get(plugin)?.value;
  const present = current !== null && typeof current === 'object' ? (current as Record<string, unknown>) : {};
  const subKeys = pluginSubKeys(block, present.name);
  const keyLine = KEY_LINE.exec(typed);
  if (keyLine) {
    const s = subKeys[keyLine[1]];
    return s ? choiceItems(s, keyLine[2], p) : [];
  }
  if (!/^[A-Za-z_]*$/.test(typed)) return [];
  const range = { start: { line: p.line, character: indent }, end: p };
  return Object.entries(subKeys)
    .filter(([k]) => !(k in present) || k === typed)
    .map(([k, s], i) => keyItem(k, s, range, i, subKeyHoverMarkdown(plugin, present.name, k, config) ?? ''));
}

function valueItems(doc: ConfigDocument, config: ConfigSchema, key: string, typed: string, p: Position, configPath: string, host: ServiceHost, release: ResolvedRelease | undefined): CompletionItem[] {
  const schema = keySchema(key, config);
  if (!schema) return [];
  const range = valueRange(schema, typed, p);
  const named = config.kind === 'llamafactory-v0' ? namedValueItems(doc, key, range, configPath, host, release) : undefined;
  return named ?? choiceItems(schema, typed, p);
}

/** The text being completed: after the last comma for comma-separated keys. */
function valueRange(schema: KeySchema, typed: string, p: Position): Range {
  const lastComma = schema['x-llamafactory']?.commaSeparated ? typed.lastIndexOf(',') : -1;
  const word = typed.slice(lastComma + 1).trimStart();
  return { start: { line: p.line, character: p.character - word.length }, end: p };
}

const valueItem = (range: Range, label: string, kind: CompletionItemKind, detail?: string): CompletionItem => ({ label, kind, detail, textEdit: { range, newText: label } });

/** The allowed values of a key, or true/false for a boolean. */
function choiceItems(schema: KeySchema, typed: string, p: Position): CompletionItem[] {
  const range = valueRange(schema, typed, p);
  const choices = schema.enum ?? schema['x-llamafactory']?.choices;
  if (choices) return choices.map((v) => valueItem(range, v === null ? 'null' : formatScalar(v as string), CompletionItemKind.EnumMember));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('boolean')) return ['true', 'false'].map((v) => valueItem(range, v, CompletionItemKind.Value));
  return [];
}

/** v0 values that name something: chat templates (of the user's release) and datasets. */
function namedValueItems(doc: ConfigDocument, key: string, range: Range, configPath: string, host: ServiceHost, release: ResolvedRelease | undefined): CompletionItem[] | undefined {
  if (key === 'template') {
    const multimodal = new Set(lists.templates.filter((tpl) => tpl.multimodal).map((tpl) => tpl.name));
    const names = release?.facts.templates ?? lists.templates.map((tpl) => tpl.name);
    return names.map((n) => valueItem(range, n, CompletionItemKind.EnumMember, multimodal.has(n) ? t('multimodal template') : t('chat template')));
  }
  if (key !== 'dataset' && key !== 'eval_dataset') return undefined;
  const catalog = datasetCatalog(doc.byKey.get('dataset_dir')?.value, configPath, host, release?.checkout);
  const detail = catalog.source ? t('from {0}', catalog.source) : t('built-in dataset');
  return catalog.names.map((n) => valueItem(range, n, CompletionItemKind.Value, detail));
}
