// Shell words: cuts a script (train.sh, a Makefile recipe, a markdown code
// block, one command line) into simple commands of words, the way bash would
// read them for what matters here: quotes, backslashes, line continuations,
// comments, `;`/`&&`/`||`/`|`/`&` between commands, `VAR=value` and `export`
// assignments, and `$VAR`/`${VAR}`/`${VAR:-default}` expansion. A variable the
// script does not set is kept as written and reported as unknown, never
// guessed; `$(...)` and backticks are unknown too. Linear in the input and
// bounded, so any text is safe. (shell-quote parses words but keeps no line
// numbers and cannot tell an unset variable from an empty one.)

/** Longest script read; a launch script is a few lines. */
const MAX_CHARS = 256 * 1024;
/** Most commands kept from one script. */
const MAX_COMMANDS = 2000;

export interface ShellWord {
  /** The word after quote removal and expansion. */
  text: string;
  /** Variables (or `$(...)`) it uses that the script does not set. */
  unknown: string[];
}

export interface ShellCommand {
  words: ShellWord[];
  /** 0-based line of the first word in the script. */
  line: number;
  /** The command as written (continuations joined), for messages. */
  source: string;
  /** Variables exported before this command, as the script sets them (undefined: set to something unknown). */
  exported: Map<string, string | undefined>;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** The name and value of a `NAME=value` word, or undefined. */
export function assignment(word: ShellWord): { name: string; value: ShellWord } | undefined {
  const m = ASSIGNMENT.exec(word.text);
  return m ? { name: m[1], value: { text: word.text.slice(m[0].length), unknown: word.unknown } } : undefined;
}

/** Reads `script` into commands. `initial` are variables known before the first line. */
export function shellCommands(script: string, initial: ReadonlyMap<string, string | undefined> = new Map()): ShellCommand[] {
  return new Reader(script.length > MAX_CHARS ? script.slice(0, MAX_CHARS) : script, initial).read();
}

class Reader {
  private i = 0;
  private line = 0;
  private readonly vars: Map<string, string | undefined>;
  private readonly exported = new Map<string, string | undefined>();
  private readonly out: ShellCommand[] = [];
  private words: ShellWord[] = [];
  private start = -1;
  private startLine = 0;

  constructor(private readonly s: string, initial: ReadonlyMap<string, string | undefined>) {
    this.vars = new Map(initial);
  }

  read(): ShellCommand[] {
    const s = this.s;
    while (this.i < s.length && this.out.length < MAX_COMMANDS) {
      const c = s[this.i];
      if (c === '\\' && (s[this.i + 1] === '\n' || (s[this.i + 1] === '\r' && s[this.i + 2] === '\n'))) {
        this.i += s[this.i + 1] === '\n' ? 2 : 3;
        this.line++;
      } else if (c === '\n') {
        this.end();
        this.i++;
        this.line++;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.i++;
      } else if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
        this.end();
        this.i++;
      } else {
        this.word();
      }
    }
    this.end();
    return this.out;
  }

  /** Ends the current command: assignments alone set variables, the rest is a command. */
  private end(): void {
    const words = this.words;
    this.words = [];
    if (words.length === 0) return;
    const source = this.s.slice(this.start, this.i).trim();
    const exporting = words[0].text === 'export' || words[0].text === 'declare' || words[0].text === 'readonly';
    const rest = exporting ? words.slice(1).filter((w) => !w.text.startsWith('-')) : words;
    const assigns = rest.map(assignment);
    if (exporting || assigns.every((a) => a !== undefined)) {
      rest.forEach((w, k) => {
        const a = assigns[k];
        const value = a ? (a.value.unknown.length ? undefined : a.value.text) : this.vars.get(w.text);
        const name = a ? a.name : w.text;
        this.vars.set(name, value);
        if (exporting) this.exported.set(name, value);
      });
      return;
    }
    this.out.push({ words, line: this.startLine, source, exported: new Map(this.exported) });
  }

  private word(): void {
    const s = this.s;
    if (this.words.length === 0) {
      this.start = this.i;
      this.startLine = this.line;
    }
    let text = '';
    const unknown: string[] = [];
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') break;
      if (c === '\\') {
        if (s[this.i + 1] === '\n' || (s[this.i + 1] === '\r' && s[this.i + 2] === '\n')) break;
        text += s[this.i + 1] ?? '';
        this.i += 2;
      } else if (c === "'") {
        const close = s.indexOf("'", this.i + 1);
        const end = close < 0 ? s.length : close;
        text += this.count(s.slice(this.i + 1, end));
        this.i = end + 1;
      } else if (c === '"') {
        this.i++;
        while (this.i < s.length && s[this.i] !== '"') {
          const d = s[this.i];
          if (d === '\\' && '$`"\\\n'.includes(s[this.i + 1] ?? '')) {
            if (s[this.i + 1] === '\n') this.line++;
            else text += s[this.i + 1];
            this.i += 2;
          } else if (d === '$' || d === '`') {
            text += this.expansion(unknown);
          } else {
            if (d === '\n') this.line++;
            text += d;
            this.i++;
          }
        }
        this.i++;
      } else if (c === '$' || c === '`') {
        text += this.expansion(unknown);
      } else {
        text += c;
        this.i++;
      }
    }
    this.words.push({ text, unknown });
  }

  /** Counts the line breaks inside a quoted span, which then belongs to the word. */
  private count(span: string): string {
    for (const ch of span) if (ch === '\n') this.line++;
    return span;
  }

  /** `$NAME`, `${NAME}`, `${NAME:-x}`, `$(...)`, `` `...` ``, `$1`: the value when the script sets it, else the text as written. */
  private expansion(unknown: string[]): string {
    const s = this.s;
    const from = this.i;
    if (s[this.i] === '`' || s.startsWith('$(', this.i)) {
      const close = s[this.i] === '`' ? s.indexOf('`', this.i + 1) : this.closingParen(this.i + 1);
      this.i = close < 0 ? s.length : close + 1;
      const written = this.count(s.slice(from, this.i));
      unknown.push(written);
      return written;
    }
    let name: string;
    let fallback: string | undefined;
    if (s[this.i + 1] === '{') {
      const close = s.indexOf('}', this.i + 2);
      const inner = s.slice(this.i + 2, close < 0 ? s.length : close);
      this.i = close < 0 ? s.length : close + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::?[-=](.*))?$/s.exec(inner);
      if (!m) {
        const written = this.count(s.slice(from, this.i));
        unknown.push(written);
        return written;
      }
      name = m[1];
      fallback = m[2];
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(s.slice(this.i + 1, this.i + 65));
      if (!m) {
        this.i++;
        return '$';
      }
      name = m[0];
      this.i += 1 + name.length;
    }
    const value = this.vars.get(name);
    if (value !== undefined) return value;
    if (fallback !== undefined && !this.vars.has(name)) return fallback;
    unknown.push(`$${name}`);
    return s.slice(from, this.i);
  }

  /** The index of the `)` closing the `(` at `open`, or -1. */
  private closingParen(open: number): number {
    let depth = 0;
    for (let k = open; k < this.s.length; k++) {
      if (this.s[k] === '(') depth++;
      else if (this.s[k] === ')' && --depth === 0) return k;
    }
    return -1;
  }
}
