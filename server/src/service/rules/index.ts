// The rule registry: the only list of rules the service runs.
import { argsRules } from './args';
import { dataRules } from './data';
import { fieldRules } from './field';
import { hardwareRules } from './hardware';
import { memoryRules } from './memory';
import type { Rule } from './rule';
import { trainRules } from './train';
import { v1Rules } from './v1';

export { ruleApplies } from './run';

export const rules: readonly Rule[] = [...argsRules, ...trainRules, ...dataRules, ...hardwareRules, ...memoryRules, ...v1Rules, ...fieldRules];
