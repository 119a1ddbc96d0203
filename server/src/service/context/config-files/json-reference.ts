// A key whose value is a mapping written inline, a JSON string starting with
// `{`, or the path of a JSON file (fsdp_config, accelerator_config, ...): the
// mapping it stands for, read the way LLaMA-Factory reads it.
import { readJson, resolveReference } from '../../files';
import type { AnalysisContext } from '..';
import { argValue, asMapping, parsePythonJson } from '../../values';

export type ReferencedJson =
  | { kind: 'inline'; value: Record<string, unknown> }
  | { kind: 'file'; path: string; value: Record<string, unknown> | undefined };

/**
 * The mapping `key` stands for: written inline, as a JSON string, or read from
 * the file it names. Undefined when unset, unreadable or not found.
 */
export function referencedJson(ctx: AnalysisContext, key: string): ReferencedJson | undefined {
  const value = argValue(ctx.doc, key);
  const inline = asMapping(value);
  if (inline) return { kind: 'inline', value: inline };
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('{')) {
    const parsed = asMapping(parsePythonJson(value)?.value);
    return parsed ? { kind: 'inline', value: parsed } : undefined;
  }
  const found = resolveReference(value, ctx.configPath, ctx.host);
  if (!found) return undefined;
  return { kind: 'file', path: found.path, value: asMapping(readJson(ctx.host, found.path)) };
}
