// JSON Schema of every v0 key LLaMA-Factory accepts, from vendor/facts/args.json.
// The service validates with it (ajv) and it also works on its own in Red Hat
// YAML through `# yaml-language-server: $schema=...`. Descriptions are ours, in
// schemas/src/descriptions.en.json; facts (type, default, choices) are appended.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonText, readFacts } from '../lib/facts.mjs';
import { deprecationOf, englishNote } from './deprecations.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function loadDescriptions() {
  const p = join(root, 'schemas/src/descriptions.en.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : {};
}

function typesOf(arg) {
  const t = new Set(arg.json_types);
  // A Python float field takes YAML integers too; JSON Schema's number covers both.
  if (t.has('number')) t.delete('integer');
  if (listAccepted(arg)) t.add('array');
  const list = [...t];
  return list.length === 1 ? list[0] : list;
}

/** Comma-split keys that also take a YAML list (the others call str.split and crash on one). */
function listAccepted(arg) {
  return arg.comma_separated && /pass(?:es|ed)? through|also works/i.test(arg.comma_separated_note ?? '');
}

function show(v) {
  return v === null ? '`null`' : `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
}

function factsLine(arg, schemaType) {
  const parts = [`Type: \`${Array.isArray(schemaType) ? schemaType.join(' | ') : schemaType}\``, `Default: ${show(arg.default)}`];
  if (arg.choices) parts.push(`Choices: ${arg.choices.map(show).join(', ')}`);
  return parts.join(' · ');
}

export function generate(factsDir) {
  const facts = readFacts(factsDir, 'args.json');
  const descriptions = loadDescriptions();
  const names = new Set(facts.args.map((a) => a.name));
  const properties = {};
  for (const arg of facts.args) {
    const type = typesOf(arg);
    const own = descriptions[arg.name] ?? '';
    const prop = {
      type,
      markdownDescription: [own, factsLine(arg, type)].filter(Boolean).join('\n\n'),
      default: arg.default,
    };
    if (listAccepted(arg)) prop.items = { type: arg.name === 'interleave_probs' ? 'number' : 'string' };
    const takesList = Array.isArray(type) && type.includes('array');
    if (arg.choices && takesList) {
      // The choices name list items (fsdp/debug also take them as one space-separated string).
      prop.items = { enum: arg.choices };
    } else if (arg.choices) {
      prop.enum = arg.nullable ? [...arg.choices, null] : arg.choices;
    }
    const dep = deprecationOf(arg, names);
    if (dep) prop.deprecationMessage = englishNote(arg.name, dep);
    const meta = { group: arg.group, commands: arg.commands };
    if (arg.comma_separated) meta.commaSeparated = true;
    if (arg.requires_env) meta.requiresEnv = arg.requires_env.split(' ')[0];
    if (arg.json_string_dict) meta.jsonStringDict = true;
    if (arg.transformers_availability) {
      meta.transformers = Object.entries(arg.transformers_availability).filter(([, ok]) => ok).map(([v]) => v.replace(' (stored)', ''));
    }
    if (arg.required) meta.required = true;
    prop['x-llamafactory'] = meta;
    properties[arg.name] = prop;
  }
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/llamafactory-config-tools/schemas/llamafactory-v0.schema.json',
    title: 'LLaMA-Factory training config (v0)',
    type: 'object',
    properties,
    additionalProperties: false,
    'x-llamafactory-internal': facts.internal_fields_not_accepted.map((f) => f.name),
  };
  return { 'schemas/llamafactory-v0.schema.json': jsonText(schema) };
}
