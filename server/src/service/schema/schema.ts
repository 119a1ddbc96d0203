// The generated v0 schema and the facts attached to each key, loaded once.
import schemaJson from '../../../../schemas/llamafactory-v0.schema.json';

export interface KeyMeta {
  group: string;
  commands: string[];
  commaSeparated?: boolean;
  requiresEnv?: string;
  jsonStringDict?: boolean;
  transformers?: string[];
  required?: boolean;
}

export interface KeySchema {
  type: string | string[];
  markdownDescription: string;
  default: unknown;
  enum?: unknown[];
  items?: { type: string };
  deprecationMessage?: string;
  'x-llamafactory': KeyMeta;
}

export interface V0Schema {
  properties: Record<string, KeySchema>;
  'x-llamafactory-internal': string[];
}

export const v0Schema = schemaJson as unknown as V0Schema & Record<string, unknown>;

/** Every key name, in the order of the facts. */
export const v0Keys: readonly string[] = Object.keys(v0Schema.properties);

export function keySchema(key: string): KeySchema | undefined {
  return Object.prototype.hasOwnProperty.call(v0Schema.properties, key) ? v0Schema.properties[key] : undefined;
}
