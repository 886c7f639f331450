import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import '@xyflow/react/dist/base.css';
import './globals.css';
import { BOOT_SCRIPT } from '../src/lib/boot.ts';

export const metadata: Metadata = { title: 'Matrix OS', description: 'Your AI operating system.' };
export const viewport: Viewport = { themeColor: [{ media: '(prefers-color-scheme: dark)', color: '#131317' }, { color: '#f6f6f8' }] };

// Sets the theme before the first paint, so a dark-mode owner never sees a white flash.
const themeBoot = `try{var p=JSON.parse(localStorage.getItem('matrix.prefs')||'{}').theme||'system';var d=p==='dark'||(p==='system'&&matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.dataset.theme=d?'dark':'light';if(d){var s=document.documentElement.style;s.setProperty('--matrix-bg','#131317');s.setProperty('--matrix-surface','#1d1d23');s.setProperty('--matrix-fg','#ececf1');s.setProperty('--matrix-border','#30303a');s.setProperty('--matrix-muted','#9b9ba8');s.colorScheme='dark'}}catch(e){}`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // This load's nonce (set by proxy.ts): without it the policy refuses the inline boot scripts.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeBoot }} />
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: BOOT_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
