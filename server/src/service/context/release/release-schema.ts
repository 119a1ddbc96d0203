// The schema a config is checked against for one release: main's generated
// schema (curated descriptions, commands, traits) narrowed to the keys that
// release's parsers accept, with that release's types, defaults and choices
// where they differ from main, plus the keys main no longer has. transformers
// keys follow the transformers set of the release. Built once per facts object.
import { schemaFor, v0Schema, v1Schema } from '../../schema/schema';
import type { ConfigKind } from '../../types';
import type { ConfigSchema, KeySchema, KeyMeta } from '../../schema/schema';
import { bundled } from './bundled';
import type { Command } from './extract';
import type { ReleaseFacts, ReleaseKey } from './facts';

const built = new WeakMap<ReleaseFacts, { v0: ConfigSchema; v1: ConfigSchema }>();
const mainIndex = bundled.indexOf('main');
const mainFacts = bundled.facts(mainIndex);

/** The v0 and v1 schemas for a release (main's own schemas for bundled main). */
export function releaseSchemas(facts: ReleaseFacts): { v0: ConfigSchema; v1: ConfigSchema } {
  if (facts === mainFacts) return { v0: v0Schema, v1: v1Schema };
  let found = built.get(facts);
  if (!found) built.set(facts, (found = { v0: v0For(facts), v1: v1For(facts) }));
  return found;
}

function v0For(facts: ReleaseFacts): ConfigSchema {
  const properties: Record<string, KeySchema> = {};
  for (const [key, base] of Object.entries(v0Schema.properties)) {
    const own = facts.keys.get(key);
    const upstream = base['x-llamafactory']?.group === 'transformers';
    if (own && !upstream) properties[key] = adjust(base, own, mainFacts.keys.get(key));
    else if (own) properties[key] = fromFacts(own);
    else if (upstream && facts.transformersKeys.has(key)) properties[key] = base;
  }
  for (const [key, own] of facts.keys) properties[key] ??= fromFacts(own);
  // transformers keys main's schema does not describe (another transformers version): accepted, any value.
  for (const key of facts.transformersKeys) properties[key] ??= { type: [], markdownDescription: '', 'x-llamafactory': { group: 'transformers', commands: ['train'] } };
  return derived(v0Schema, properties);
}

function v1For(facts: ReleaseFacts): ConfigSchema {
  const properties: Record<string, KeySchema> = {};
  for (const key of facts.v1Keys) properties[key] = v1Schema.properties[key] ?? { type: [], markdownDescription: '' };
  return derived(v1Schema, properties);
}

function derived(base: ConfigSchema, properties: Record<string, KeySchema>): ConfigSchema {
  // JSON Schema wants a non-empty `type`: a key of any type simply has none.
  const json = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, Array.isArray(s.type) && s.type.length === 0 ? withoutType(s) : s]));
  return { kind: base.kind, json: { ...base.json, properties: json }, properties, keys: Object.keys(properties) };
}

function withoutType(s: KeySchema): Omit<KeySchema, 'type'> {
  const { type: _any, ...rest } = s;
  return rest;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** main's entry, with this release's type, default and choices where they differ from main's. */
function adjust(base: KeySchema, own: ReleaseKey, main: ReleaseKey | undefined): KeySchema {
  if (main && same(own.types, main.types) && same(own.default, main.default) && same(own.choices, main.choices)) return base;
  const out: KeySchema = { ...base };
  if (!main || !same(own.types, main.types)) out.type = schemaType(own.types);
  if (!main || !same(own.default, main.default)) {
    if ('default' in own) out.default = own.default;
    else delete out.default;
  }
  if (!main || !same(own.choices, main.choices)) {
    if (own.choices) out.enum = own.choices;
    else delete out.enum;
  }
  const text = base.markdownDescription.replace(/\n\nType: [^\n]*$/, '');
  out.markdownDescription = `${text}\n\n${factsLine(out)}`;
  return out;
}

/** A key main's schema does not describe the same way: built from the release's own dataclass field. */
function fromFacts(own: ReleaseKey): KeySchema {
  const meta: KeyMeta = { group: 'release', commands: schemaCommands(own.commands) };
  if (own.commands.length === 1 && own.commands[0] === 'mbridge') meta.requiresEnv = 'USE_MEGATRON_BRIDGE=1';
  const out: KeySchema = { type: schemaType(own.types), markdownDescription: '', 'x-llamafactory': meta };
  if ('default' in own) out.default = own.default;
  if (own.choices) out.enum = own.choices;
  out.markdownDescription = [own.help, factsLine(out)].filter(Boolean).join('\n\n');
  return out;
}

/** [] (any value) leaves the JSON Schema `type` out. */
function schemaType(types: string[]): string | string[] {
  return types.length === 1 ? types[0] : types;
}

/** The parse sets as the schema's command names (chat, api, webchat and export share the infer parser). */
function schemaCommands(commands: Command[]): string[] {
  const out = new Set<string>();
  for (const c of commands) {
    if (c === 'infer') for (const n of ['chat', 'api', 'webchat', 'export']) out.add(n);
    else out.add(c === 'mbridge' ? 'train' : c);
  }
  return [...out];
}

const show = (v: unknown): string => `\`${v === null ? 'null' : typeof v === 'string' ? v : JSON.stringify(v)}\``;

/** The closing "Type · Default · Choices" line every key description ends with. */
function factsLine(s: KeySchema): string {
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  const parts = [`Type: \`${type || 'any'}\``];
  if ('default' in s) parts.push(`Default: ${show(s.default)}`);
  if (s.enum) parts.push(`Choices: ${s.enum.map(show).join(', ')}`);
  return parts.join(' · ');
}

/** The schema a document of this kind is checked against: its release's, else main's; undefined for other YAML. */
export function schemaOf(release: { schemas: { v0: ConfigSchema; v1: ConfigSchema } } | undefined, kind: ConfigKind): ConfigSchema | undefined {
  if (!release || kind === 'other') return schemaFor(kind);
  return kind === 'llamafactory-v1' ? release.schemas.v1 : release.schemas.v0;
}
