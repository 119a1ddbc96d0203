// DeepSpeed values that must agree with the YAML (rules.md R102). transformers
// fills every "auto" from the training arguments and collects each other value
// that differs; the Trainer then refuses to start.
import type { RuleContext } from '../types';
import { referencedJson } from './config-files';
import { defineRule, DiagnosticSeverity, report } from './report';
import { argValue, asMapping, pyNumber, pyTruthy } from '../../values';

interface Pairing {
  /** Dotted path inside the DeepSpeed JSON. */
  path: string;
  /** The YAML keys the value is compared with (the first is shown). */
  keys: string[];
  /** The value transformers compares against. */
  expected(ctx: RuleContext): unknown;
}

const one = (key: string): Pairing['expected'] => (ctx) => argValue(ctx.doc, key);
const either = (a: string, b: string): Pairing['expected'] => (ctx) => pyTruthy(argValue(ctx.doc, a)) || pyTruthy(argValue(ctx.doc, b));

const PAIRINGS: readonly Pairing[] = [
  { path: 'train_micro_batch_size_per_gpu', keys: ['per_device_train_batch_size'], expected: one('per_device_train_batch_size') },
  { path: 'gradient_accumulation_steps', keys: ['gradient_accumulation_steps'], expected: one('gradient_accumulation_steps') },
  { path: 'gradient_clipping', keys: ['max_grad_norm'], expected: one('max_grad_norm') },
  { path: 'optimizer.params.lr', keys: ['learning_rate'], expected: one('learning_rate') },
  { path: 'optimizer.params.betas', keys: ['adam_beta1', 'adam_beta2'], expected: (ctx) => [argValue(ctx.doc, 'adam_beta1'), argValue(ctx.doc, 'adam_beta2')] },
  { path: 'optimizer.params.eps', keys: ['adam_epsilon'], expected: one('adam_epsilon') },
  { path: 'optimizer.params.weight_decay', keys: ['weight_decay'], expected: one('weight_decay') },
  { path: 'scheduler.params.warmup_max_lr', keys: ['learning_rate'], expected: one('learning_rate') },
  {
    path: 'fp16.enabled', keys: ['fp16', 'fp16_full_eval'],
    expected: (ctx) => either('fp16', 'fp16_full_eval')(ctx) && argValue(ctx.doc, 'half_precision_backend') !== 'apex',
  },
  { path: 'bf16.enabled', keys: ['bf16', 'bf16_full_eval'], expected: either('bf16', 'bf16_full_eval') },
];

function lookup(config: Record<string, unknown>, path: string): unknown {
  let node: unknown = config;
  for (const part of path.split('.')) node = asMapping(node)?.[part];
  return node;
}

/** Python `==` for JSON/YAML scalars and lists (bools compare as 0/1). */
function pyEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEqual(x, b[i]));
  const na = pyNumber(a);
  const nb = pyNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  return a === b;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

export const deepspeedMismatch = defineRule(['deepspeed-mismatch'], ['R102'], (ctx) => {
  const config = referencedJson(ctx, 'deepspeed')?.value;
  if (!config) return [];
  const mismatches = PAIRINGS.flatMap((p) => {
    const ds = lookup(config, p.path);
    const expected = p.expected(ctx);
    if (ds === undefined || ds === null || ds === 'auto' || pyEqual(ds, expected)) return [];
    return [{ pairing: p, ds, expected }];
  });
  if (mismatches.length === 0) return [];
  const lines = mismatches.map((m) => `${m.pairing.path} is ${show(m.ds)} but ${m.pairing.keys.join('/')} gives ${show(m.expected)}`);
  return [report(ctx, 'deepspeed', DiagnosticSeverity.Error, 'deepspeed-mismatch',
    `The DeepSpeed config disagrees with this file, and the Trainer refuses to start: ${lines.join('; ')}. Set those DeepSpeed values to "auto" or make the YAML match.`,
    {
      onValue: true,
      related: mismatches.flatMap((m) => m.pairing.keys.map((key) => ({ key, message: `compared with DeepSpeed ${m.pairing.path}` }))),
    })];
});

export const deepspeedRules = [deepspeedMismatch];
