// Output formats of llamafactory-lint. `text` and `json` are a contract
// (fields are only added); `sarif` is SARIF 2.1.0 for code-scanning uploads;
// `github` prints workflow commands that GitHub Actions shows as annotations.
import type { Diagnostic } from 'vscode-languageserver-types';
import type { LaunchSummary, MemoryEstimateResult, ResolvedRelease } from '../service';
import { codeDocUrl } from '../service';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface FileReport {
  file: string;
  kind: 'llamafactory-v0' | 'llamafactory-v1' | 'other';
  diagnostics: { range: Diagnostic['range']; severity: Severity; code: string; message: string }[];
  estimate: MemoryEstimateResult['report'] | null;
  /** With --fix: the codes of the problems the fixes removed, one entry per problem. */
  fixed?: string[];
  /** The LLaMA-Factory the file was checked against; path is null for a bundled release. */
  llamafactory?: { version: string; source: ResolvedRelease['source']; path: string | null };
  /** How the file is launched (--launch, a directive, the setting or a command found in the workspace); null when unknown. */
  launch?: LaunchSummary | null;
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[90m' };

/** `file:line:col severity code message`, 1-based. */
export function formatText(r: FileReport, color: boolean): string[] {
  return r.diagnostics.map((d) => {
    const sev = color ? `${COLORS[d.severity]}${d.severity}\x1b[0m` : d.severity;
    return `${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${sev} ${d.code} ${d.message}`;
  });
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** Workflow-command escaping (actions/toolkit: packages/core/src/command.ts). */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=CODE::message`; information and hints are notices. */
export function formatGithub(r: FileReport): string[] {
  return r.diagnostics.map((d) => {
    const { start, end } = d.range;
    const props = [`file=${escapeProperty(r.file)}`, `line=${start.line + 1}`, `col=${start.character + 1}`, `endLine=${end.line + 1}`, `endColumn=${end.character + 1}`, `title=${escapeProperty(d.code)}`];
    return `::${GITHUB_COMMAND[d.severity]} ${props.join(',')}::${escapeData(d.message)}`;
  });
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface SarifTool {
  version: string;
  informationUri: string;
  /** A one-line description of a code, when its page is at hand. */
  summary(code: string): string | undefined;
}

/** One SARIF 2.1.0 log: one run, the rules that occur (with their pages), one result per diagnostic. */
export function formatSarif(reports: readonly FileReport[], tool: SarifTool): string {
  const codes = [...new Set(reports.flatMap((r) => r.diagnostics.map((d) => d.code)))].sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((id) => {
    const summary = tool.summary(id);
    return { id, helpUri: codeDocUrl(id), ...(summary ? { shortDescription: { text: summary } } : {}) };
  });
  const results = reports.flatMap((r) =>
    r.diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: index.get(d.code),
      level: SARIF_LEVEL[d.severity],
      message: { text: d.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: encodeURI(r.file.split('\\').join('/')) },
          // SARIF lines and columns are 1-based; columns count UTF-16 code units as LSP does (run.columnKind).
          region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
        },
      }],
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'llamafactory-lint', version: tool.version, semanticVersion: tool.version, informationUri: tool.informationUri, rules } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return JSON.stringify(log, null, 2);
}
