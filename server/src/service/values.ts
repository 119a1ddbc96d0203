// Reading config values the way LLaMA-Factory does: a key left out takes its
// argument default (from the generated schema, the one place defaults live),
// and flags are tested with Python truthiness (OmegaConf keeps `bf16: "false"`
// a string, which Python treats as true). Every rule reads values through here.
import type { ConfigDocument } from './document';
import { keySchema } from './schema/schema';

/** The value LLaMA-Factory receives for `key`, with the argument default when the key is absent. */
export function valueOf(doc: ConfigDocument, key: string): unknown {
  const entry = doc.byKey.get(key);
  return entry ? entry.value : keySchema(key)?.default;
}

/** Python's `bool(value)`. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export function isSet(doc: ConfigDocument, key: string): boolean {
  return truthy(valueOf(doc, key));
}

/** A training run (the precision flags only matter there). */
export function isTraining(doc: ConfigDocument): boolean {
  return isSet(doc, 'do_train');
}
