// Diagnostics for a dataset_info.json opened on its own (editor or CLI): what
// LLaMA-Factory's data/parser.py would refuse or silently ignore in each entry.
// DatasetAttr.join reads only the fields it knows (others are ignored), takes
// `columns`/`tags` as mappings, and get_dataset_list falls back to
// `file_name` when an entry has no hub URL, script or cloud file (a KeyError
// when that is missing too). Hub, script and cloud entries are not fetched, so
// their columns cannot be checked; a hint says so.
import * as path from 'node:path';
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { didYouMeanText, t } from '../../l10n';
import { closest } from '../../text/similar';
import { makeDiagnostic } from '../../types';
import type { ServiceHost } from '../../types';
import { columnRoles, ENTRY_FIELDS, fileExists, FORMATTINGS, REMOTE_FIELDS, TAG_NAMES } from './registry';

/** The registry's file name (extras/constants.py DATA_CONFIG); only files of this name get this check. */
export const REGISTRY_FILE = 'dataset_info.json';

export function isRegistryFile(file: string): boolean {
  return path.basename(file) === REGISTRY_FILE;
}

/** 0-based positions from offsets of one text. */
function positions(text: string): (from: number, to: number) => Range {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const at = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  };
  return (from, to) => ({ start: at(from), end: at(to) });
}

type Report = (node: JsonNode, severity: DiagnosticSeverity, code: string, message: string) => void;

/** The property nodes of an object node, as [key node, value node]. */
function properties(node: JsonNode): [JsonNode, JsonNode][] {
  return (node.children ?? []).flatMap((p) => (p.children?.length === 2 ? [[p.children[0], p.children[1]] as [JsonNode, JsonNode]] : []));
}

/** The diagnostics of one dataset_info.json text; `infoPath` is where it lies (local files are looked up beside it). */
export function checkRegistry(text: string, infoPath: string, host: ServiceHost): Diagnostic[] {
  const range = positions(text);
  const out: Diagnostic[] = [];
  const report: Report = (node, severity, code, message) => out.push(makeDiagnostic(range(node.offset, node.offset + node.length), severity, code, message));
  const errors: ParseError[] = [];
  // Python's json.load: no comments, no trailing commas.
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const e = errors[0];
    out.push(makeDiagnostic(range(e.offset, e.offset + e.length), DiagnosticSeverity.Error, 'dataset-info-invalid-json',
      t('dataset_info.json is not valid JSON ({0}): LLaMA-Factory cannot open it and stops for every dataset it names.', printParseErrorCode(e.error))));
    return out;
  }
  if (!root || root.type !== 'object') {
    if (root) report(root, DiagnosticSeverity.Error, 'dataset-info-type', t('dataset_info.json must be one JSON object mapping dataset names to their entries.'));
    return out;
  }
  if (isDatasetsInfo(root)) return out;
  const seen = new Map<string, JsonNode>();
  for (const [key, value] of properties(root)) {
    const name = String(key.value);
    const earlier = seen.get(name);
    if (earlier) report(earlier, DiagnosticSeverity.Warning, 'dataset-info-duplicate', t('Dataset `{0}` is defined again on line {1}; Python\'s json reader keeps only the later entry.', name, range(key.offset, key.offset).start.line + 1));
    seen.set(name, key);
    checkEntry(name, key, value, path.dirname(infoPath), host, report);
  }
  return out;
}

/**
 * Hugging Face `datasets` writes a file of the same name (DatasetInfo: citation, description, features,
 * splits...) beside the Arrow files of `save_to_disk` and in its cache; that one is not a registry.
 */
const DATASETS_INFO_KEYS = ['builder_name', 'citation', 'config_name', 'dataset_size', 'description', 'download_size', 'features', 'homepage', 'license', 'splits'];

function isDatasetsInfo(root: JsonNode): boolean {
  return properties(root).filter(([k, v]) => DATASETS_INFO_KEYS.includes(String(k.value)) && v.type !== 'object').length >= 2
    || properties(root).some(([k, v]) => k.value === 'features' && v.type === 'object' && properties(v).some(([, f]) => f.type === 'object' && properties(f).some(([fk]) => fk.value === '_type')));
}

function checkEntry(name: string, key: JsonNode, entry: JsonNode, dir: string, host: ServiceHost, report: Report): void {
  if (entry.type !== 'object') {
    report(entry, DiagnosticSeverity.Error, 'dataset-info-type', t('The entry of `{0}` must be an object such as {"file_name": "data.json"}, not {1}.', name, entry.type));
    return;
  }
  const fields = new Map<string, JsonNode>();
  for (const [k, v] of properties(entry)) {
    const field = String(k.value);
    const expected = ENTRY_FIELDS[field];
    if (!expected) {
      report(k, DiagnosticSeverity.Warning, 'dataset-info-unknown-field', t('LLaMA-Factory does not read `{0}` in a dataset entry and ignores it.', field) + didYouMeanText(closest(field, Object.keys(ENTRY_FIELDS))));
      continue;
    }
    if (v.type !== expected && v.type !== 'null') {
      report(v, DiagnosticSeverity.Error, 'dataset-info-type', t('`{0}` must be a {1}, not {2}.', field, expected, v.type));
      continue;
    }
    fields.set(field, v);
  }
  const formatting = checkFormatting(fields.get('formatting'), report);
  checkMapping(fields.get('columns'), columnRoles(formatting === 'alpaca' ? 'alpaca' : 'sharegpt'), formatting, 'columns', report);
  checkMapping(fields.get('tags'), formatting === 'alpaca' ? [] : TAG_NAMES, formatting, 'tags', report);
  if (fields.get('ranking')?.value === true) checkRanking(name, key, fields, report);
  checkSource(name, key, fields, dir, host, report);
}

/** The formatting in effect (alpaca when absent), or undefined when it is one LLaMA-Factory has no converter for. */
function checkFormatting(node: JsonNode | undefined, report: Report): string | undefined {
  if (!node || node.type !== 'string') return 'alpaca';
  const value = String(node.value);
  if (FORMATTINGS.includes(value)) return value;
  report(node, DiagnosticSeverity.Error, 'dataset-info-formatting', t('LLaMA-Factory has no converter for formatting `{0}` ("Dataset converter {0} not found"); it knows {1}.', value, FORMATTINGS.map((f) => `\`${f}\``).join(', ')) + didYouMeanText(closest(value, FORMATTINGS)));
  return undefined;
}

/** `columns` / `tags`: names the formatting reads, each mapped to a column or tag name (a string, or null for none). */
function checkMapping(node: JsonNode | undefined, known: readonly string[], formatting: string | undefined, field: string, report: Report): void {
  if (!node) return;
  for (const [k, v] of properties(node)) {
    const role = String(k.value);
    if (v.type !== 'string' && v.type !== 'null') report(v, DiagnosticSeverity.Error, 'dataset-info-type', t('`{0}` must be a string, not {1}.', `${field}.${role}`, v.type));
    // An unknown formatting is reported already; what it would read is unknown.
    if (formatting === undefined || known.includes(role)) continue;
    report(k, DiagnosticSeverity.Warning, 'dataset-info-column', known.length === 0
      ? t('The {0} formatting reads no `tags`; `{1}` is ignored.', formatting, role)
      : t('The {0} formatting does not read `{1}.{2}`; it reads {3}.', formatting, field, role, known.map((c) => `\`${c}\``).join(', ')) + didYouMeanText(closest(role, known)));
  }
}

function checkRanking(name: string, key: JsonNode, fields: Map<string, JsonNode>, report: Report): void {
  const node = fields.get('columns');
  const columns = new Map(node ? properties(node).map(([k, v]) => [String(k.value), v.value]) : []);
  const missing = ['chosen', 'rejected'].filter((c) => typeof columns.get(c) !== 'string' || columns.get(c) === '');
  if (missing.length === 0) return;
  report(fields.get('columns') ?? key, DiagnosticSeverity.Error, 'dataset-info-ranking-columns',
    t('`{0}` is a ranking dataset, but `columns` does not map {1}: the converter reads the preferred and rejected answers from them and drops every sample without.', name, missing.map((c) => `\`${c}\``).join(', ')));
}

/** Where the entry loads from: hub, script and cloud entries are not checked; a local file must exist beside dataset_info.json. */
function checkSource(name: string, key: JsonNode, fields: Map<string, JsonNode>, dir: string, host: ServiceHost, report: Report): void {
  const remote = REMOTE_FIELDS.find((f) => fields.get(f)?.type === 'string');
  if (remote) {
    report(fields.get(remote)!, DiagnosticSeverity.Hint, 'dataset-info-remote', t('`{0}` is loaded from `{1}`, which is not downloaded: its columns are not checked.', name, remote));
    return;
  }
  const file = fields.get('file_name');
  if (!file || file.type !== 'string' || file.value === '') {
    report(key, DiagnosticSeverity.Error, 'dataset-info-no-source', t('`{0}` has no `file_name`, hub URL, `script_url` or `cloud_file_name`: LLaMA-Factory stops with KeyError: \'file_name\' when a config names it.', name));
    return;
  }
  const p = path.resolve(dir, String(file.value));
  if (host.isDirectory(p) || fileExists(host, p)) return;
  report(file, DiagnosticSeverity.Warning, 'dataset-info-file-missing', t('`{0}` does not exist beside dataset_info.json; a config that names `{1}` stops with "File not found".', String(file.value), name));
}
