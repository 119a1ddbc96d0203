// The generated schemas (v0 and v1) and the facts attached to each key, loaded
// once. Everything that reads key facts (validation, hover, completion,
// defaults) goes through a ConfigSchema picked by the document's kind.
import v0Json from '../../../../schemas/llamafactory-v0.schema.json';
import v1Json from '../../../../schemas/llamafactory-v1.schema.json';
import type { ConfigKind } from '../types';

export interface KeyMeta {
  group: string;
  commands?: string[];
  commaSeparated?: boolean;
  requiresEnv?: string;
  jsonStringDict?: boolean;
  transformers?: string[];
  required?: boolean;
  /** A v1 `*_config` block: a mapping selected by its `name`. */
  plugin?: boolean;
  /** Allowed items of a comma-separated value (checked with a pattern). */
  choices?: string[];
}

/** One branch of a plugin block: the sub-keys that apply when `name` is `if.properties.name.const`. */
export interface PluginBranch {
  if: { properties: { name: { const: string } } };
  then: { properties: Record<string, KeySchema | true>; additionalProperties?: boolean };
}

export interface KeySchema {
  type: string | string[];
  markdownDescription: string;
  default?: unknown;
  enum?: unknown[];
  items?: { type?: string; enum?: unknown[] };
  deprecationMessage?: string;
  /** Sub-keys of a plugin block common to every name (`name` itself included). */
  properties?: Record<string, KeySchema>;
  allOf?: PluginBranch[];
  additionalProperties?: boolean;
  'x-llamafactory'?: KeyMeta;
}

export type SchemaKind = Exclude<ConfigKind, 'other'>;

export interface ConfigSchema {
  kind: SchemaKind;
  /** The whole JSON Schema document, for ajv. */
  json: Record<string, unknown>;
  properties: Record<string, KeySchema>;
  /** Every key name, in the order of the facts. */
  keys: readonly string[];
}

function load(kind: SchemaKind, json: unknown): ConfigSchema {
  const doc = json as { properties: Record<string, KeySchema> } & Record<string, unknown>;
  return { kind, json: doc, properties: doc.properties, keys: Object.keys(doc.properties) };
}

export const v0Schema = load('llamafactory-v0', v0Json);
export const v1Schema = load('llamafactory-v1', v1Json);

/** Keys LLaMA-Factory computes itself and refuses in a v0 config. */
export const v0InternalKeys: readonly string[] = (v0Json as { 'x-llamafactory-internal': string[] })['x-llamafactory-internal'];

/** The schema a document of this kind is checked against; undefined for other YAML. */
export function schemaFor(kind: ConfigKind): ConfigSchema | undefined {
  return kind === 'llamafactory-v0' ? v0Schema : kind === 'llamafactory-v1' ? v1Schema : undefined;
}

/** The facts of a top-level key (v0 unless another schema is given). */
export function keySchema(key: string, schema: ConfigSchema = v0Schema): KeySchema | undefined {
  return Object.prototype.hasOwnProperty.call(schema.properties, key) ? schema.properties[key] : undefined;
}

/**
 * The sub-keys a plugin block accepts when its `name` is `name`: the common
 * ones plus those of the matching branch. With an unknown name, every branch's
 * sub-keys (so completion and hover still help while the name is being typed).
 */
export function pluginSubKeys(plugin: KeySchema, name: unknown): Record<string, KeySchema> {
  const out: Record<string, KeySchema> = { ...(plugin.properties ?? {}) };
  const branches = plugin.allOf ?? [];
  const matching = branches.filter((b) => b.if.properties.name.const === name);
  for (const b of matching.length > 0 ? matching : branches) {
    for (const [k, s] of Object.entries(b.then.properties)) if (s !== true) out[k] = s;
  }
  return out;
}
