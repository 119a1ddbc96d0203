// Completion: keys not yet in the file (with their default as the value),
// allowed values of the key under the cursor, templates and dataset names.
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver-types';
import type { CompletionItem, Position } from 'vscode-languageserver-types';
import { datasetCatalog } from '../datasets';
import type { ConfigDocument } from '../document';
import { formatScalar } from '../edits';
import lists from '../facts/lists.json';
import { keySchema, v0Keys } from '../schema/schema';
import type { ServiceHost } from '../types';
import { keyHoverMarkdown } from './hover';
import { linePrefix } from './position';

export function complete(doc: ConfigDocument, p: Position, configPath: string, host: ServiceHost): CompletionItem[] {
  if (doc.kind !== 'llamafactory-v0') return [];
  const prefix = linePrefix(doc, p);
  const keyLine = /^([A-Za-z_][\w.-]*)\s*:\s*(.*)$/.exec(prefix);
  if (keyLine) return valueItems(doc, keyLine[1], keyLine[2], p, configPath, host);
  if (/^[A-Za-z_]*$/.test(prefix)) return keyItems(doc, prefix, p);
  return [];
}

interface KeyItemBase {
  key: string;
  item: CompletionItem;
  newText: string;
}

let keyItemBases: KeyItemBase[] | undefined;
/** The parts of every key's item that never change, built on first use (hover text for 411 keys is not free). */
function keyBases(): KeyItemBase[] {
  keyItemBases ??= v0Keys.map((k, i) => {
    const s = keySchema(k)!;
    const value = s.default === null || typeof s.default === 'object' ? '' : formatScalar(s.default as string | number | boolean);
    const item: CompletionItem = {
      label: k,
      kind: CompletionItemKind.Property,
      detail: Array.isArray(s.type) ? s.type.join(' | ') : s.type,
      documentation: { kind: MarkupKind.Markdown, value: keyHoverMarkdown(k) ?? '' },
      insertTextFormat: InsertTextFormat.Snippet,
      sortText: String(i).padStart(4, '0'),
      filterText: k,
    };
    if (s.deprecationMessage) item.tags = [1 /* Deprecated */];
    return { key: k, item, newText: `${k}: \${1:${value.replace(/[$}\\]/g, '\\$&')}}` };
  });
  return keyItemBases;
}

function keyItems(doc: ConfigDocument, typed: string, p: Position): CompletionItem[] {
  const range = { start: { line: p.line, character: 0 }, end: p };
  return keyBases()
    .filter((b) => !doc.byKey.has(b.key) || b.key === typed)
    .map((b) => ({ ...b.item, textEdit: { range, newText: b.newText } }));
}

function valueItems(doc: ConfigDocument, key: string, typed: string, p: Position, configPath: string, host: ServiceHost): CompletionItem[] {
  const schema = keySchema(key);
  if (!schema) return [];
  // Comma-separated keys complete the name after the last comma.
  const lastComma = schema['x-llamafactory'].commaSeparated ? typed.lastIndexOf(',') : -1;
  const word = typed.slice(lastComma + 1).trimStart();
  const range = { start: { line: p.line, character: p.character - word.length }, end: p };
  const item = (label: string, kind: CompletionItemKind, detail?: string): CompletionItem => ({ label, kind, detail, textEdit: { range, newText: label } });
  if (key === 'template') return lists.templates.map((t) => item(t.name, CompletionItemKind.EnumMember, t.multimodal ? 'multimodal template' : 'chat template'));
  if (key === 'dataset' || key === 'eval_dataset') {
    const catalog = datasetCatalog(doc.byKey.get('dataset_dir')?.value, configPath, host);
    const detail = catalog.source ? `from ${catalog.source}` : 'built-in dataset';
    return catalog.names.map((n) => item(n, CompletionItemKind.Value, detail));
  }
  if (schema.enum) return schema.enum.map((v) => item(v === null ? 'null' : formatScalar(v as string), CompletionItemKind.EnumMember));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('boolean')) return ['true', 'false'].map((v) => item(v, CompletionItemKind.Value));
  return [];
}
