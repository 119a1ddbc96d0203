// Experiment trackers: trackio's required project, its Space id format and
// run name, and SwanLab being wired twice.
import { argValue, truthy } from '../../values';
import { t } from '../../l10n';
import { defineRule, ERROR, WARNING, INFO } from '../rule';
import type { Rule } from '../rule';
import type { AnalysisContext } from '../../context';

/** `report_to` as a list of names (a single string stays whole: transformers does not split it). */
function loggers(ctx: AnalysisContext): string[] {
  const v = argValue(ctx.doc, 'report_to');
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}
const trackio = (ctx: AnalysisContext) => loggers(ctx).includes('trackio');

export const reportingRules: Rule[] = [
  defineRule({
    codes: ['trackio-project-missing'],
    covers: ['R156'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => trackio(ctx) && !truthy(ctx.doc, 'project') && {
      code: 'trackio-project-missing',
      severity: ERROR,
      at: ['project', 'report_to'],
      message: t('Logging to trackio needs a `project` name.'),
    },
  }),
  defineRule({
    codes: ['trackio-space-id-format'],
    covers: ['R157'],
    appliesTo: { commands: ['train'] },
    check(ctx) {
      const id = argValue(ctx.doc, 'trackio_space_id');
      if (!(trackio(ctx) && typeof id === 'string' && id !== 'trackio' && !/^[^/\s]+\/[^/\s]+$/.test(id))) return undefined;
      return {
        code: 'trackio-space-id-format',
        severity: WARNING,
        at: ['trackio_space_id'],
        onValue: true,
        message: t('`trackio_space_id` should be `trackio` or a Hugging Face Space id of the form `org/space`.'),
      };
    },
  }),
  defineRule({
    codes: ['trackio-run-name'],
    covers: ['R159'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => trackio(ctx) && !truthy(ctx.doc, 'run_name') && {
      code: 'trackio-run-name',
      severity: WARNING,
      at: ['report_to'],
      message: t('Give trackio runs a `run_name` so they can be told apart in the dashboard.'),
    },
  }),
  defineRule({
    codes: ['swanlab-report-to-dropped'],
    covers: ['R171'],
    appliesTo: { commands: ['train'] },
    check: (ctx) => truthy(ctx.doc, 'use_swanlab') && loggers(ctx).includes('swanlab') && {
      code: 'swanlab-report-to-dropped',
      severity: INFO,
      at: ['report_to'],
      related: ['use_swanlab'],
      message: t('With `use_swanlab`, LLaMA-Factory adds its own SwanLab logger and removes `swanlab` from `report_to`, so it is not logged twice.'),
    },
  }),
];
