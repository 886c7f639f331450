'use client';
import { useCallback, useEffect, useState } from 'react';
import { bootApi } from '../lib/boot.ts';
import { applyTheme } from '../lib/prefs.ts';
import { LoginScreen } from '../auth/LoginScreen.tsx';
import { Shell } from './Shell.tsx';

interface AuthStatus {
  mode: 'owner' | 'platform';
  setupRequired: boolean;
  signedIn: boolean;
}

/** Where to go after signing in: only the gateway's own pages that send people here (`/code/`). */
function nextPage(): string | null {
  const next = new URLSearchParams(location.search).get('next');
  return next?.startsWith('/code/') ? next : null;
}

/** Signs the owner in (or finishes first-run setup), then shows the shell. */
export function Root() {
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    bootApi<AuthStatus>('/api/auth/status').then((s) => {
      const next = s.signedIn ? nextPage() : null;
      if (next) location.replace(next);
      else setStatus(s);
    }, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    applyTheme();
    refresh();
  }, [refresh]);

  if (error) return <div className="empty-state">{error}</div>;
  if (!status) return null;
  if (!status.signedIn) return <LoginScreen setupRequired={status.setupRequired} onSignedIn={refresh} />;
  return <Shell onSignedOut={refresh} />;
}
