'use client';
import type { ReactNode } from 'react';
import type { WindowState } from '@matrix-os/protocol';

/** A window's frame: title bar with minimise, maximise and close, and its body. */
export function WindowChrome(props: {
  title: string;
  glyph?: ReactNode;
  state: WindowState;
  focused?: boolean;
  onMinimize(): void;
  onMaximize(): void;
  onClose(): void;
  onFocus?(): void;
  children: ReactNode;
}) {
  const { state } = props;
  return (
    <section className={`window ${state === 'minimized' ? 'minimized' : ''} ${props.focused ? 'focused' : ''}`} aria-label={props.title} onPointerDownCapture={props.onFocus} data-window-title={props.title}>
      <header className="window-titlebar" onDoubleClick={props.onMaximize}>
        <span className="glyph">{props.glyph}</span>
        <span className="title">{props.title}</span>
        <div className="window-controls nodrag">
          <button type="button" aria-label={state === 'minimized' ? 'Restore' : 'Minimise'} title="Minimise" onClick={props.onMinimize}>
            –
          </button>
          <button type="button" aria-label={state === 'maximized' ? 'Restore size' : 'Maximise'} title="Maximise" onClick={props.onMaximize}>
            {state === 'maximized' ? '❐' : '□'}
          </button>
          <button type="button" aria-label="Close" title="Close" onClick={props.onClose}>
            ✕
          </button>
        </div>
      </header>
      <div className="window-body nodrag nowheel nopan">{props.children}</div>
    </section>
  );
}
