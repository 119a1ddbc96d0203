// v0 and v1 spell many settings differently. When a key of one format shows up
// in a file of the other, say what the other format calls it (from the one
// table, key-map.json) instead of a bare "unknown key".
import { keySchema, v0Schema, v1Schema } from './schema';
import keyMap from './key-map.json';
import { t } from '../l10n';

interface KeyPair {
  v0: string;
  v1: string | null;
  rename?: boolean;
  note?: string;
}

const pairs = keyMap.pairs as KeyPair[];

export type CrossFormatCode = 'v0-key-in-v1' | 'v1-key-in-v0';

export interface CrossFormatHint {
  code: CrossFormatCode;
  message: string;
  /** The key to rename to when the value carries over unchanged. */
  rename?: string;
}

function spellV1(target: string): string {
  const dot = target.indexOf('.');
  return dot < 0 ? `\`${target}\`` : t('`{0}` inside the `{1}:` block', target.slice(dot + 1), target.slice(0, dot));
}

const withNote = (pair: KeyPair) => (pair.note ? ` (${pair.note})` : '');

/** A top-level key of a v0 config written in a v1 file; undefined when it is not a v0 key. */
export function v0KeyInV1(key: string): CrossFormatHint | undefined {
  const pair = pairs.find((p) => p.v0 === key);
  const stops = t('The v1 parser stops on keys it does not know.');
  if (pair?.v1) {
    return { code: 'v0-key-in-v1', message: t('`{0}` is a v0 setting; in a v1 config it is {1}{2}. {3}', key, spellV1(pair.v1), withNote(pair), stops), rename: pair.rename ? pair.v1 : undefined };
  }
  if (pair) return { code: 'v0-key-in-v1', message: t('`{0}` is a v0 key with no v1 counterpart: {1}. {2} Remove it.', key, String(pair.note), stops) };
  if (keySchema(key, v0Schema)) return { code: 'v0-key-in-v1', message: t('`{0}` belongs to the v0 format; v1 has no such setting. {1} Remove it.', key, stops) };
  return undefined;
}

/** A top-level key of a v1 config written in a v0 file; undefined when it is not a v1 key. */
export function v1KeyInV0(key: string): CrossFormatHint | undefined {
  const exact = pairs.find((p) => p.v1 === key);
  const nested = pairs.filter((p) => p.v1?.startsWith(`${key}.`));
  const stops = t('The v0 parser stops on it (v1 configs only run with USE_V1=1).');
  if (exact) {
    return { code: 'v1-key-in-v0', message: t('`{0}` is a v1 setting; v0 configs call it `{1}`{2}. {3}', key, exact.v0, withNote(exact), stops), rename: exact.rename ? exact.v0 : undefined };
  }
  if (nested.length > 0) {
    const flat = nested.map((p) => `\`${p.v0}\``).join(', ');
    return { code: 'v1-key-in-v0', message: t('`{0}` is a v1 block; a v0 config writes the same settings as flat keys: {1}. {2}', key, flat, stops) };
  }
  if (keySchema(key, v1Schema)) return { code: 'v1-key-in-v0', message: t('`{0}` exists only in v1 configs; v0 has no such setting. {1}', key, stops) };
  return undefined;
}

/** The v1 sub-key of `plugin` that a v0 key written inside that block means (`lora_rank` in peft_config → `r`). */
export function v1SubKeyFor(plugin: string, v0Key: string): string | undefined {
  const target = pairs.find((p) => p.v0 === v0Key)?.v1;
  return target?.startsWith(`${plugin}.`) ? target.slice(plugin.length + 1) : undefined;
}
