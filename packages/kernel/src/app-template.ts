import type { ColumnType } from '@matrix-os/protocol';

/** What a new app starts from. */
export interface AppTemplateInput {
  slug: string;
  name: string;
  description?: string;
  tables?: Record<string, Record<string, ColumnType>>;
}

/**
 * The files of a new Vite + React app: `matrix.json` (with the declared tables), `index.html` and
 * `src/main.jsx`. The model's own files replace these or add to them. Pure.
 */
export function appTemplate(input: AppTemplateInput): Record<string, string> {
  const tables = Object.entries(input.tables ?? {});
  const manifest = {
    name: input.name,
    slug: input.slug,
    version: '1.0.0',
    runtime: 'vite',
    ...(input.description ? { description: input.description } : {}),
    build: { command: 'pnpm build', output: 'dist', timeoutSec: 120 },
    ...(tables.length ? { storage: { tables: Object.fromEntries(tables.map(([t, columns]) => [t, { columns }])) } } : {}),
  };
  const first = tables[0]?.[0];
  const main = `import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

// window.MatrixOS is given to every app by the shell: db (the app's own tables), theme, openApp.
const db = window.MatrixOS?.db;

function App() {
  const [rows, setRows] = useState([]);
  useEffect(() => {
    ${first ? `db?.find(${JSON.stringify(first)}, {}).then(setRows).catch(() => setRows([]));` : 'setRows([]);'}
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui', padding: 16, color: 'var(--matrix-fg, #111)' }}>
      <h1>${input.name.replace(/[<>{}`$\\]/g, '')}</h1>
      <p>{rows.length} items</p>
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);
`;
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${input.name.replace(/[<>&"]/g, '')}</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="./src/main.jsx"></script>
  </body>
</html>
`;
  return { 'matrix.json': `${JSON.stringify(manifest, null, 2)}\n`, 'index.html': html, 'src/main.jsx': main };
}
