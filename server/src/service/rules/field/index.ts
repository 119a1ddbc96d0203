// Mistakes users make in the field that no single LLaMA-Factory check names:
// a config without its model key, Python types the YAML hides, and settings
// that disagree with the model. (Names from other tools are explained where
// unknown keys are, schema/foreign.ts; data that does not suit the stage is
// part of the dataset rule, train/datasets.ts.)
import type { Rule } from '../types';
import { fp16OnBf16Model, loraTargetModules, templateForModel } from './model-fit';
import { modelKeyMissing } from './model-key';
import { floatForInt, noneString } from './python-types';

export const fieldRules: Rule[] = [modelKeyMissing, floatForInt, noneString, loraTargetModules, templateForModel, fp16OnBf16Model];
