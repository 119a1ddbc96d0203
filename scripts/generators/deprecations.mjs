// Every v0 key a transformers release deprecates or drops, decided once from
// vendor/facts/args.json: the schema generator writes its English note into the
// JSON Schema (what other editors show) and the service reads the same list
// (server/src/service/schema/deprecations.ts) for hover and the deprecated-key rule.
import { jsonText, readFacts } from '../lib/facts.mjs';

// Its replacement takes a full repo id (org/name), so a plain rename would be wrong.
const NOT_A_RENAME = new Set(['push_to_hub_organization']);

/**
 * The deprecation of one argument, or undefined:
 * - `v4-only`: transformers 5 no longer knows the key; `warned` when 4.x already
 *   deprecates it (with `instead`, and `rename` when that is a plain key rename);
 * - `v5-deprecated`: transformers 5 warns and still reads it; `into` names the key
 *   its value is copied into, `env` the environment variable that replaces it.
 */
export function deprecationOf(arg, names) {
  const a = arg.transformers_availability;
  if (arg.group === 'transformers' && a && a['4.57.6'] && !a['5.0-5.1 (stored)'] && !a['5.17.0']) {
    const warned = Boolean(arg.deprecation_note) && String(arg.availability_summary ?? '').startsWith('transformers 4.x only');
    // "alias of X (...)" or "use X (...)": X is a key name, or a key with a value ("optim: adafactor").
    const m = warned ? /(?:alias of|; use) (.+?) \((?:transformers )?4\.x only\)$/.exec(arg.deprecation_note) : null;
    const instead = m ? m[1] : null;
    return { kind: 'v4-only', warned, instead, rename: Boolean(instead && names.has(instead) && !NOT_A_RENAME.has(arg.name)) };
  }
  const note = /^deprecated in transformers 5[^(]*\((.*)\)/.exec(arg.deprecation_note ?? '');
  if (!note) return undefined;
  const into = /value copied into (\w+)/.exec(note[1])?.[1];
  const env = /use ([A-Z_]+) env/.exec(note[1])?.[1];
  return { kind: 'v5-deprecated', ...(into ? { into } : {}), ...(env ? { env } : {}) };
}

/** The English note the JSON Schema carries (the service shows the same sentence, translated). */
export function englishNote(name, dep) {
  if (dep.kind === 'v4-only') return `Only transformers 4.x knows \`${name}\`; with transformers 5 it is an unknown key.`;
  if (dep.into) return `Deprecated in transformers 5: its value is copied into \`${dep.into}\`; write \`${dep.into}\` instead.`;
  return 'Deprecated in transformers 5.';
}

export function generate(factsDir) {
  const args = readFacts(factsDir, 'args.json').args;
  const names = new Set(args.map((a) => a.name));
  const out = {};
  for (const arg of args) {
    const dep = deprecationOf(arg, names);
    if (dep) out[arg.name] = dep;
  }
  return { 'server/src/service/facts/deprecations.json': jsonText(out) };
}
