// Outline: the `### section` comments LLaMA-Factory's examples use, each
// holding the keys below it; keys before any section stand at the top.
import { SymbolKind } from 'vscode-languageserver-types';
import type { DocumentSymbol, Range } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../document';
import { LINE_BREAK } from '../document';

const SECTION = /^#{2,}\s*(\S.*?)\s*$/;

export function symbols(doc: ConfigDocument): DocumentSymbol[] {
  if (doc.kind === 'other') return [];
  const lines = doc.text.split(LINE_BREAK);
  const sections: { name: string; line: number }[] = [];
  lines.forEach((l, i) => {
    const m = SECTION.exec(l);
    if (m) sections.push({ name: m[1], line: i });
  });
  const keySymbol = (e: ConfigDocument['entries'][number]): DocumentSymbol => ({
    name: e.key,
    detail: typeof e.value === 'object' ? undefined : String(e.value),
    kind: SymbolKind.Property,
    range: { start: e.keyRange.start, end: e.valueRange.end },
    selectionRange: e.keyRange,
  });
  const top: DocumentSymbol[] = [];
  const sectionSymbols = sections.map((s, i): DocumentSymbol => {
    const endLine = i + 1 < sections.length ? sections[i + 1].line - 1 : lines.length - 1;
    const range: Range = { start: { line: s.line, character: 0 }, end: { line: endLine, character: lines[endLine]?.length ?? 0 } };
    return { name: s.name, kind: SymbolKind.Namespace, range, selectionRange: { start: range.start, end: { line: s.line, character: lines[s.line].length } }, children: [] };
  });
  for (const e of doc.entries) {
    const line = e.keyRange.start.line;
    let owner: DocumentSymbol | undefined;
    for (let i = sections.length - 1; i >= 0; i--) {
      if (sections[i].line < line) {
        owner = sectionSymbols[i];
        break;
      }
    }
    (owner?.children ?? top).push(keySymbol(e));
  }
  return [...top, ...sectionSymbols].sort((a, b) => a.range.start.line - b.range.start.line);
}
