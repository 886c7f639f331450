'use client';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api.ts';
import { Markdown } from './markdown.tsx';
import { previewKind, rawUrl } from './file-api.ts';

const TEXT_LIMIT = 512 * 1024;

/** Shows a file: images, video, PDF, Markdown and text; anything else offers a download. */
export function FilePreview({ path }: { path: string }) {
  const name = path.split('/').pop() ?? path;
  const kind = previewKind(name);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(null);
    setError(null);
    if (kind !== 'text' && kind !== 'markdown') return;
    // Only the head of a large file: a preview, not an editor.
    api<string>(rawUrl(path), { headers: { range: `bytes=0-${TEXT_LIMIT - 1}` } }).then(
      (t) => setText(typeof t === 'string' ? t : JSON.stringify(t, null, 2)),
      (e: Error) => setError(e.message),
    );
  }, [path, kind]);

  if (error) return <div className="empty-state">{error}</div>;
  const url = rawUrl(path);
  switch (kind) {
    case 'image':
      return (
        <div className="preview" style={{ display: 'grid', placeItems: 'center' }}>
          <img src={url} alt={name} />
        </div>
      );
    case 'video':
      return (
        <div className="preview" style={{ display: 'grid', placeItems: 'center', background: '#000' }}>
          <video src={url} controls aria-label={name} />
        </div>
      );
    case 'pdf':
      return <embed className="preview" src={url} type="application/pdf" style={{ width: '100%', height: '100%' }} aria-label={name} />;
    case 'markdown':
      return <div className="preview">{text === null ? <div className="empty-state">Loading…</div> : <Markdown source={text} />}</div>;
    case 'text':
      return <div className="preview">{text === null ? <div className="empty-state">Loading…</div> : <pre data-testid="text-preview">{text}</pre>}</div>;
    default:
      return (
        <div className="empty-state">
          No preview for this kind of file.
          <a className="btn" href={`${url}?download=1`}>
            Download {name}
          </a>
        </div>
      );
  }
}
