import { BUILTINS, isBuiltinId } from '../builtins/registry.ts';
import { appHue } from './use-apps.ts';

/** A tile for an app (its initial on its colour) or a built-in (its glyph). */
export function AppIcon({ target, name }: { target: string; name: string }) {
  if (isBuiltinId(target)) {
    return (
      <span className="app-icon" style={{ background: 'color-mix(in oklab, var(--matrix-fg) 78%, var(--matrix-accent))', color: 'var(--matrix-bg)' }} aria-hidden>
        {BUILTINS[target].glyph}
      </span>
    );
  }
  return (
    <span className="app-icon" style={{ background: `linear-gradient(135deg, hsl(${appHue(target)} 70% 55%), hsl(${appHue(target) + 30} 70% 45%))` }} aria-hidden>
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
