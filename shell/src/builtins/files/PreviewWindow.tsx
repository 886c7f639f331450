'use client';
import { FilePreview } from './FilePreview.tsx';

/** `__preview-window__`: one file, previewed in its own window. */
export function PreviewWindow({ path }: { path?: string }) {
  if (!path) return <div className="empty-state">Open a file to preview it here.</div>;
  return <FilePreview path={path} />;
}
