// Comment directives that silence diagnostics, honoured by the service:
//   # llamafactory-disable CODE[, CODE...]            the whole file
//   # llamafactory-disable-next-line CODE[, ...]      the following line
//   key: value  # llamafactory-disable-line CODE      this line
// Without codes, every diagnostic in the scope is silenced.
import type { Diagnostic } from 'vscode-languageserver-types';
import { LINE_BREAK } from './document';

const DIRECTIVE = /#\s*llamafactory-disable(-next-line|-line)?\b([^#\n]*)/g;

interface Scope {
  codes: Set<string> | 'all';
}

export interface Suppressions {
  file: Scope[];
  lines: Map<number, Scope[]>;
}

export function readSuppressions(text: string): Suppressions {
  const out: Suppressions = { file: [], lines: new Map() };
  if (!text.includes('llamafactory-disable')) return out;
  const lines = text.split(LINE_BREAK);
  lines.forEach((line, i) => {
    if (!line.includes('llamafactory-disable')) return;
    for (const m of line.matchAll(DIRECTIVE)) {
      const codes = m[2].split(/[\s,]+/).filter(Boolean);
      const scope: Scope = { codes: codes.length ? new Set(codes) : 'all' };
      if (m[1] === undefined) out.file.push(scope);
      else {
        const target = m[1] === '-next-line' ? i + 1 : i;
        out.lines.set(target, [...(out.lines.get(target) ?? []), scope]);
      }
    }
  });
  return out;
}

function covers(scopes: Scope[] | undefined, code: string): boolean {
  return (scopes ?? []).some((s) => s.codes === 'all' || s.codes.has(code));
}

export function isSuppressed(s: Suppressions, d: Diagnostic): boolean {
  const code = String(d.code ?? '');
  return covers(s.file, code) || covers(s.lines.get(d.range.start.line), code);
}
