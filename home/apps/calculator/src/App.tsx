import { useEffect, useState } from 'react';
import { useMatrixOS } from '@matrix-os/app-sdk/react';
import { INITIAL, formatNumber, keyFromKeyboard, press, type CalcKey } from './calculator.ts';

interface Button {
  label: string;
  key: CalcKey;
  kind?: 'op' | 'fn' | 'equals';
  wide?: boolean;
  name?: string;
}

const d = (digit: string): Button => ({ label: digit, key: { kind: 'digit', digit } });
const BUTTONS: Button[] = [
  { label: 'AC', key: { kind: 'clear' }, kind: 'fn', name: 'Clear' },
  { label: '±', key: { kind: 'negate' }, kind: 'fn', name: 'Change sign' },
  { label: '%', key: { kind: 'percent' }, kind: 'fn', name: 'Percent' },
  { label: '÷', key: { kind: 'op', op: '÷' }, kind: 'op', name: 'Divide' },
  d('7'), d('8'), d('9'),
  { label: '×', key: { kind: 'op', op: '×' }, kind: 'op', name: 'Multiply' },
  d('4'), d('5'), d('6'),
  { label: '−', key: { kind: 'op', op: '−' }, kind: 'op', name: 'Subtract' },
  d('1'), d('2'), d('3'),
  { label: '+', key: { kind: 'op', op: '+' }, kind: 'op', name: 'Add' },
  { ...d('0'), wide: true },
  { label: '.', key: { kind: 'point' }, name: 'Decimal point' },
  { label: '=', key: { kind: 'equals' }, kind: 'equals', name: 'Equals' },
];

export function App() {
  useMatrixOS(); // applies the OS theme
  const [state, setState] = useState(INITIAL);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const key = keyFromKeyboard(e.key);
      if (!key) return;
      // Enter on a focused button presses that button, not "=".
      if (e.key === 'Enter' && document.activeElement instanceof HTMLButtonElement) return;
      e.preventDefault();
      setState((s) => press(s, key));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const pending = state.pending ? `${formatNumber(state.pending.value)} ${state.pending.op}` : '';
  const long = state.display.length > 9;

  return (
    <main className="calc">
      <output className="screen" aria-live="polite" aria-label="Result">
        <span className="pending">{pending || '\u00a0'}</span>
        <span className={`display ${long ? 'long' : ''}`}>{state.display}</span>
      </output>
      <div className="keys">
        {BUTTONS.map((b) => (
          <button
            key={b.label}
            className={`${b.kind ?? 'digit'} ${b.wide ? 'wide' : ''} ${b.kind === 'op' && state.pending?.op === b.label && state.fresh ? 'active' : ''}`}
            aria-label={b.name ?? b.label}
            onClick={() => setState((s) => press(s, b.key))}
          >
            {b.key.kind === 'clear' && state.display !== '0' && !state.fresh ? 'C' : b.label}
          </button>
        ))}
      </div>
    </main>
  );
}
