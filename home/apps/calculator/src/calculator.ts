/** An operator key. */
export type Operator = '+' | '−' | '×' | '÷';

/** The calculator's state: what the display shows and the pending operation, like a pocket calculator. */
export interface CalcState {
  display: string;
  /** The left operand and operator waiting for the right operand. */
  pending: { value: number; op: Operator } | null;
  /** The next digit starts a new number instead of extending the display. */
  fresh: boolean;
  /** The last `=`: pressing it again repeats the operation. */
  repeat: { value: number; op: Operator } | null;
  error: boolean;
}

export type CalcKey =
  | { kind: 'digit'; digit: string }
  | { kind: 'point' }
  | { kind: 'op'; op: Operator }
  | { kind: 'equals' }
  | { kind: 'clear' }
  | { kind: 'backspace' }
  | { kind: 'negate' }
  | { kind: 'percent' };

export const INITIAL: CalcState = { display: '0', pending: null, fresh: true, repeat: null, error: false };

const MAX_DIGITS = 16;

/** A number as the display shows it: at most 12 significant digits, exponent form when huge or tiny. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'Error';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-9) return n.toExponential(8).replace(/\.?0+e/, 'e');
  return String(Number.parseFloat(n.toPrecision(12)));
}

function apply(a: number, op: Operator, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '−':
      return a - b;
    case '×':
      return a * b;
    case '÷':
      return b === 0 ? Number.NaN : a / b;
  }
}

function result(n: number): CalcState {
  return Number.isFinite(n)
    ? { display: formatNumber(n), pending: null, fresh: true, repeat: null, error: false }
    : { ...INITIAL, display: 'Error', error: true };
}

/** The state after pressing one key. */
export function press(s: CalcState, key: CalcKey): CalcState {
  if (s.error && key.kind !== 'clear' && key.kind !== 'digit' && key.kind !== 'point') return s;
  if (s.error) s = INITIAL;
  const current = Number.parseFloat(s.display);
  switch (key.kind) {
    case 'digit': {
      if (s.fresh) return { ...s, display: key.digit, fresh: false };
      if (s.display.replace(/[-.]/g, '').length >= MAX_DIGITS) return s;
      return { ...s, display: s.display === '0' ? key.digit : s.display === '-0' ? `-${key.digit}` : s.display + key.digit };
    }
    case 'point':
      if (s.fresh) return { ...s, display: '0.', fresh: false };
      return s.display.includes('.') ? s : { ...s, display: `${s.display}.` };
    case 'op': {
      // Pressing operators in a row only changes the operator.
      if (s.pending && s.fresh) return { ...s, pending: { ...s.pending, op: key.op } };
      const left = s.pending ? apply(s.pending.value, s.pending.op, current) : current;
      const shown = result(left);
      if (shown.error) return shown;
      return { ...shown, pending: { value: left, op: key.op } };
    }
    case 'equals': {
      if (s.pending) {
        const next = result(apply(s.pending.value, s.pending.op, current));
        return next.error ? next : { ...next, repeat: { value: current, op: s.pending.op } };
      }
      if (s.repeat) {
        const next = result(apply(current, s.repeat.op, s.repeat.value));
        return next.error ? next : { ...next, repeat: s.repeat };
      }
      return { ...s, fresh: true };
    }
    case 'clear':
      // First press clears the entry, the second everything.
      return s.display !== '0' && !s.fresh ? { ...s, display: '0', fresh: true } : INITIAL;
    case 'backspace': {
      if (s.fresh) return s;
      const shorter = s.display.slice(0, -1);
      return { ...s, display: shorter === '' || shorter === '-' ? '0' : shorter };
    }
    case 'negate':
      if (s.display === '0') return s;
      return { ...s, display: s.display.startsWith('-') ? s.display.slice(1) : `-${s.display}` };
    case 'percent': {
      // 50 + 10% is 55: a percentage of the left operand for + and −, a plain fraction otherwise.
      const base = s.pending && (s.pending.op === '+' || s.pending.op === '−') ? s.pending.value : 1;
      return { ...s, display: formatNumber((base * current) / 100), fresh: true };
    }
  }
}

/** The key a keyboard event means, or null. */
export function keyFromKeyboard(key: string): CalcKey | null {
  if (/^[0-9]$/.test(key)) return { kind: 'digit', digit: key };
  switch (key) {
    case '.':
    case ',':
      return { kind: 'point' };
    case '+':
      return { kind: 'op', op: '+' };
    case '-':
      return { kind: 'op', op: '−' };
    case '*':
    case 'x':
      return { kind: 'op', op: '×' };
    case '/':
      return { kind: 'op', op: '÷' };
    case 'Enter':
    case '=':
      return { kind: 'equals' };
    case 'Escape':
    case 'Delete':
    case 'c':
    case 'C':
      return { kind: 'clear' };
    case 'Backspace':
      return { kind: 'backspace' };
    case '%':
      return { kind: 'percent' };
    case 'n':
    case 'F9':
      return { kind: 'negate' };
    default:
      return null;
  }
}
