// Reads the memory-relevant LLaMA-Factory keys from a config the way the
// diagnostics do (values.ts): a key the YAML does not set takes its schema
// default, flags follow Python truthiness (`bf16: "false"` is a non-empty
// string, so it is on), and a value of the wrong type counts as the default
// (the schema check reports it; the estimate does not guess a conversion).
import { defaultOf, pyNumber, pyTruthy, splitArg } from '../values';

export type Config = Record<string, unknown>;

/** The value LLaMA-Factory receives for `key`: the YAML's, else the schema default. */
export function valueOf(c: Config, key: string): unknown {
  return key in c ? c[key] : defaultOf(key);
}

/** Python truthiness of the effective value. */
export function flag(c: Config, key: string): boolean {
  return pyTruthy(valueOf(c, key));
}

/** The effective value as a non-negative number; the schema default (else 0) when it is not one. */
export function number(c: Config, key: string): number {
  const v = pyNumber(valueOf(c, key));
  if (v !== undefined && Number.isFinite(v) && v >= 0) return v;
  return pyNumber(defaultOf(key)) ?? 0;
}

/** The effective value as a trimmed lower-case string; the schema default (else '') when it is not a string. */
export function text(c: Config, key: string): string {
  const v = valueOf(c, key);
  if (typeof v === 'string' && v.trim()) return v.trim().toLowerCase();
  const d = defaultOf(key);
  return typeof d === 'string' ? d.toLowerCase() : '';
}

/** A comma-separated (or YAML list) argument, split as LLaMA-Factory's `split_arg` does, lower-cased. */
export function list(c: Config, key: string): string[] {
  const items = splitArg(valueOf(c, key)) ?? [];
  return items.map((x) => String(x).trim().toLowerCase()).filter(Boolean);
}
