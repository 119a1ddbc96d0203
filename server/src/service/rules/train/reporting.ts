// Experiment trackers: trackio's required project, its Space id format and
// run name, and SwanLab being wired twice.
import type { Rule, RuleContext } from '../types';
import { checkRule, ERROR, INFO, WARNING } from './declare';
import { argValue, truthy } from '../../values';
import { t } from '../../l10n';

/** `report_to` as a list of names (a single string stays whole: transformers does not split it). */
function loggers(ctx: RuleContext): string[] {
  const v = argValue(ctx.doc, 'report_to');
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}
const trackio = (ctx: RuleContext) => loggers(ctx).includes('trackio');

export const reportingRules: Rule[] = [
  checkRule({
    code: 'trackio-project-missing',
    covers: ['R156'],
    severity: ERROR,
    at: ['project', 'report_to'],
    when: (ctx) => trackio(ctx) && !truthy(ctx.doc, 'project'),
    message: () => t('Logging to trackio needs a `project` name.'),
  }),
  checkRule({
    code: 'trackio-space-id-format',
    covers: ['R157'],
    severity: WARNING,
    at: ['trackio_space_id'],
    onValue: true,
    when: (ctx) => {
      const id = argValue(ctx.doc, 'trackio_space_id');
      return trackio(ctx) && typeof id === 'string' && id !== 'trackio' && !/^[^/\s]+\/[^/\s]+$/.test(id);
    },
    message: () => t('`trackio_space_id` should be `trackio` or a Hugging Face Space id of the form `org/space`.'),
  }),
  checkRule({
    code: 'trackio-run-name',
    covers: ['R159'],
    severity: WARNING,
    at: ['report_to'],
    when: (ctx) => trackio(ctx) && !truthy(ctx.doc, 'run_name'),
    message: () => t('Give trackio runs a `run_name` so they can be told apart in the dashboard.'),
  }),
  checkRule({
    code: 'swanlab-report-to-dropped',
    covers: ['R171'],
    severity: INFO,
    at: ['report_to'],
    related: ['use_swanlab'],
    when: (ctx) => truthy(ctx.doc, 'use_swanlab') && loggers(ctx).includes('swanlab'),
    message: () => t('With `use_swanlab`, LLaMA-Factory adds its own SwanLab logger and removes `swanlab` from `report_to`, so it is not logged twice.'),
  }),
];
