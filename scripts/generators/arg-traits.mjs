// The few per-key traits the argument rules need beyond the schema: deprecated
// transformers 4.x keys with their plain renames, keys only the eval parser
// accepts, and the option words the `fsdp` string may hold.
import { jsonText, readFacts } from '../lib/facts.mjs';

// Its replacement takes a full repo id (org/name), so a plain rename would be wrong.
const NOT_A_RENAME = new Set(['push_to_hub_organization']);

export function generate(factsDir) {
  const args = readFacts(factsDir, 'args.json').args;
  const names = new Set(args.map((a) => a.name));

  const deprecated = {};
  for (const a of args) {
    if (!a.deprecation_note || !String(a.availability_summary ?? '').startsWith('transformers 4.x only')) continue;
    // "alias of X (...)" or "use X (...)": X is a key name, or a key with a value ("optim: adafactor").
    const m = /(?:alias of|; use) (.+?) \((?:transformers )?4\.x only\)$/.exec(a.deprecation_note);
    const instead = m ? m[1] : null;
    const replacement = instead && names.has(instead) && !NOT_A_RENAME.has(a.name) ? instead : null;
    deprecated[a.name] = { replacement, instead };
  }
  const evalOnly = args.filter((a) => a.commands.length === 1 && a.commands[0] === 'eval').map((a) => a.name);
  const fsdp = args.find((a) => a.name === 'fsdp');
  const traits = { deprecated, evalOnly, fsdpOptions: fsdp?.choices ?? [] };
  return {
    'server/src/service/facts/arg-traits.json': jsonText(traits),
  };
}
