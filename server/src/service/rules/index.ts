// The rule registry: the only list of rules the service runs.
import { argsRules } from './args';
import { dataRules } from './data';
import { hardwareRules } from './hardware';
import { memoryRules } from './memory';
import { trainRules } from './train';
import type { Rule } from './types';
import { v1Rules } from './v1';
import type { ConfigKind } from '../types';

export const rules: readonly Rule[] = [...argsRules, ...trainRules, ...dataRules, ...hardwareRules, ...memoryRules, ...v1Rules];

/** Whether `rule` checks configs of this kind (rules without `kinds` are v0 rules). */
export function ruleApplies(rule: Rule, kind: ConfigKind): boolean {
  return (rule.kinds ?? ['llamafactory-v0']).includes(kind);
}
