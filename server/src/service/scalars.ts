// How LLaMA-Factory reads a YAML scalar: OmegaConf's YAML 1.1 resolver.
// The `yaml` package's own 1.1 schema differs (it treats y/n as booleans and
// turns dates into Date objects), so plain scalars are parsed with the failsafe
// schema and typed here.

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSES = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const INT_DEC = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT_BIN = /^[-+]?0b[0-1_]+$/;
// OmegaConf widens PyYAML's float pattern so that `1e-4` (no dot) is a float.
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

export type ScalarValue = string | number | boolean | null;

/** Types a plain (unquoted) scalar the way OmegaConf does. */
export function resolvePlainScalar(source: string): ScalarValue {
  if (NULLS.has(source)) return null;
  if (TRUES.has(source)) return true;
  if (FALSES.has(source)) return false;
  // Every number below starts with a sign, a digit or a dot; most values (names, paths) do not.
  if (!/^[-+0-9.]/.test(source)) return source;
  const digits = source.replace(/_/g, '');
  if (INT_DEC.test(source)) return Number(digits);
  if (INT_HEX.test(source)) return signed(digits, (s) => parseInt(s.slice(2), 16));
  if (INT_BIN.test(source)) return signed(digits, (s) => parseInt(s.slice(2), 2));
  if (INT_OCT.test(source)) return signed(digits, (s) => parseInt(s, 8));
  if (FLOAT.test(source)) {
    const lower = digits.toLowerCase();
    if (lower.endsWith('.inf')) return lower.startsWith('-') ? -Infinity : Infinity;
    if (lower === '.nan') return NaN;
    return Number(digits);
  }
  return source;
}

function signed(text: string, parse: (unsigned: string) => number): number {
  const negative = text.startsWith('-');
  const body = text.replace(/^[-+]/, '');
  const n = parse(body);
  return negative ? -n : n;
}

/** Booleans written as strings that a reader may mistake for real booleans. */
export function looksLikeBoolean(text: string): boolean {
  return TRUES.has(text) || FALSES.has(text);
}

/** The Python type name of a scalar as the loader hands it to LLaMA-Factory. */
export type PythonType = 'NoneType' | 'bool' | 'int' | 'float' | 'str';

/**
 * The Python type of a scalar from its source text: quoted scalars are always
 * `str`; a plain one is typed as `resolvePlainScalar` reads it, and a number is
 * an int only when one of the integer patterns wrote it (`2048.0`, `1e5` are floats,
 * though JavaScript sees the same number as an integer).
 */
export function pythonTypeOf(source: string, quoted: boolean): PythonType {
  if (quoted) return 'str';
  const value = resolvePlainScalar(source);
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  return [INT_DEC, INT_HEX, INT_OCT, INT_BIN].some((re) => re.test(source)) ? 'int' : 'float';
}
