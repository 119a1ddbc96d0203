// Choice words LLaMA-Factory renamed without keeping the old one. Rules are
// written in main's words; a release that still uses the old word means the
// same thing by it, so its value is read in main's words before comparing.
import type { ResolvedRelease } from './resolve';

/** key → old word → main's word (the release that renamed it, and where, in the comment). */
const RENAMED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // 0.9.3: the Literal "bitsandbytes" of hparams/model_args.py became QuantizationMethod.BNB = "bnb" (extras/constants.py).
  quantization_method: { bitsandbytes: 'bnb' },
  // 0.8.3: AttentionFunction "off" became "disabled" (extras/constants.py).
  flash_attn: { off: 'disabled' },
};

/** `value` of `key` in main's words, when the user's release takes the old word (`bitsandbytes` in 0.9.2 is main's `bnb`). */
export function inMainWords(release: ResolvedRelease | undefined, key: string, value: unknown): unknown {
  const renamed = typeof value === 'string' ? RENAMED[key]?.[value] : undefined;
  return renamed !== undefined && release?.facts.keys.get(key)?.choices?.includes(value) ? renamed : value;
}
