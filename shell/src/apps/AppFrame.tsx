'use client';
import { useEffect, useRef, useState } from 'react';
import { useShell } from '../shell/shell-context.ts';

/**
 * A live app in a sandboxed iframe: scripts, forms and popups, never `allow-same-origin`, so the
 * app runs on an opaque origin and reaches the OS only through the shell's message bridge.
 */
export function AppFrame({ slug }: { slug: string }) {
  const { apps, bridge } = useShell();
  const app = apps.find((a) => a.slug === slug);
  const ref = useRef<HTMLIFrameElement>(null);
  const [loaded, setLoaded] = useState(false);
  const name = app?.name ?? slug;

  useEffect(() => {
    const target = ref.current?.contentWindow;
    if (!target) return;
    return bridge.attach(target, slug, name);
  }, [bridge, slug, name]);

  if (apps.length > 0 && !app) return <div className="empty-state">No app “{slug}” is installed.</div>;
  if (app && app.status !== 'ok') return <div className="empty-state">{name} cannot start: {(app.errors ?? []).join('; ') || app.status}</div>;
  return (
    <>
      {!loaded && <div className="empty-state">Opening {name}…</div>}
      <iframe
        ref={ref}
        title={name}
        src={`/apps/${encodeURIComponent(slug)}/`}
        sandbox="allow-scripts allow-forms allow-popups"
        referrerPolicy="no-referrer"
        data-app={slug}
        onLoad={() => {
          setLoaded(true);
          if (ref.current?.contentWindow) bridge.hello(ref.current.contentWindow);
        }}
      />
    </>
  );
}
