// The rule registry: the only list of rules the service runs.
import { argsRules } from './args';
import { hardwareRules } from './hardware';
import { memoryRules } from './memory';
import { trainRules } from './train';
import type { Rule } from './types';

export const rules: readonly Rule[] = [...argsRules, ...trainRules, ...hardwareRules, ...memoryRules];
