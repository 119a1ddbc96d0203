// VS Code snippets from the presets module's data (server/src/service/presets.json),
// the one copy of the preset configs that the "New LLaMA-Factory Config" command also uses.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonText } from '../lib/facts.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function generate() {
  const presets = JSON.parse(readFileSync(join(root, 'server/src/service/presets.json'), 'utf8'));
  const snippets = Object.fromEntries(Object.entries(presets).map(([name, p]) => [name, { scope: 'yaml', ...p }]));
  return { 'snippets/llamafactory.code-snippets': jsonText(snippets) };
}
