'use client';
import { useState, type FormEvent } from 'react';
import { api } from '../lib/api.ts';

/** The owner's sign-in; with `?setup=<token>` (first run) it sets the password instead. */
export function LoginScreen({ setupRequired, onSignedIn }: { setupRequired: boolean; onSignedIn: () => void }) {
  const setupToken = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('setup') : null;
  const settingUp = Boolean(setupToken);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (settingUp && password !== confirm) return setError('The two passwords differ.');
    setBusy(true);
    try {
      if (settingUp) {
        await api('/api/auth/setup', { method: 'POST', json: { token: setupToken, password } });
        history.replaceState(null, '', location.pathname);
      } else await api('/api/auth/login', { method: 'POST', json: { password } });
      onSignedIn();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-label={settingUp ? 'Choose your password' : 'Sign in'}>
        <div className="brand-mark" aria-hidden />
        <div>
          <h1>{settingUp ? 'Welcome to Matrix OS' : 'Sign in'}</h1>
          <p className="muted" style={{ margin: '4px 0 0' }}>
            {settingUp ? 'Choose the password that opens this computer.' : setupRequired ? 'This machine has no password yet: open the setup link printed when it started.' : 'Your computer is waiting.'}
          </p>
        </div>
        <input className="input" type="password" name="password" autoFocus autoComplete={settingUp ? 'new-password' : 'current-password'} placeholder="Password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={settingUp ? 8 : 1} />
        {settingUp && <input className="input" type="password" name="confirm" autoComplete="new-password" placeholder="Repeat the password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />}
        {error && <div className="error-text" role="alert">{error}</div>}
        <button className="btn primary" type="submit" disabled={busy} style={{ justifyContent: 'center', height: 36 }}>
          {settingUp ? 'Set password and open' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
