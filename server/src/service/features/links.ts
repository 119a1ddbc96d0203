// Document links: the files a config names (DeepSpeed JSON, special-token
// config), its dataset folder's dataset_info.json and a local model's
// config.json, resolved the way LLaMA-Factory's users launch it (see files.ts).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../document';
import { resolveReference, viaText } from '../files';
import type { ServiceHost } from '../types';
import { t } from '../l10n';

/** Key → file inside the named folder, or '' when the value names a file itself. */
const LINKED: Record<string, string> = {
  deepspeed: '',
  new_special_tokens_config: '',
  dataset_dir: 'dataset_info.json',
  model_name_or_path: 'config.json',
};

export function links(doc: ConfigDocument, configPath: string, host: ServiceHost): DocumentLink[] {
  if (doc.kind !== 'llamafactory-v0') return [];
  const out: DocumentLink[] = [];
  for (const [key, inner] of Object.entries(LINKED)) {
    const entry = doc.byKey.get(key);
    if (!entry || typeof entry.value !== 'string' || entry.value.trim().startsWith('{')) continue;
    const found = resolveReference(path.join(entry.value, inner), configPath, host);
    if (!found) continue;
    out.push({ range: entry.valueRange, target: pathToFileURL(found.path).toString(), tooltip: t('{0} (resolved from the {1})', found.path, viaText(found.via)) });
  }
  return out;
}
