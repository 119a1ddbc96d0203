// The preset configs (LoRA SFT, QLoRA 4-bit, full SFT with ZeRO-3, DPO,
// pre-training, and the four presets) as snippet bodies. presets.json is their
// one copy: scripts/generators/snippets.mjs writes the VS Code snippets file
// from it, and the "New LLaMA-Factory Config" command starts from it.
import presets from './presets.json';

export interface Preset {
  /** The snippet prefix; also the preset's stable id. */
  prefix: string;
  description: string;
  /** Snippet lines with `${1:default}` placeholders. */
  body: string[];
}

/** The presets by title, in the snippets file's order. */
export const PRESETS: Readonly<Record<string, Preset>> = presets;

export function presetByPrefix(prefix: string): Preset | undefined {
  return Object.values(PRESETS).find((p) => p.prefix === prefix);
}

/** What VS Code inserts when every placeholder keeps its default: `${1:x}` → x, `${1|a,b|}` → a, `$1` → nothing. */
export function expandSnippet(body: readonly string[]): string {
  return `${body.join('\n')}\n`
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\d+/g, '');
}
