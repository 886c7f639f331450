import { api } from '../../lib/api.ts';

import type { FileInfo, TrashItem } from '@matrix-os/protocol';

export type { FileInfo, TrashItem };

/** The URL of a file's raw content. */
export function rawUrl(path: string): string {
  return `/files/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export const listFolder = (path: string) => api<{ path: string; entries: FileInfo[]; truncated: boolean }>(`/api/files/list?path=${encodeURIComponent(path)}`);
export const movePath = (from: string, to: string) => api('/api/files/move', { method: 'POST', json: { from, to } });
export const makeFolder = (path: string) => api('/api/files/mkdir', { method: 'POST', json: { path } });
export const trashPath = (path: string) => api('/api/files/trash', { method: 'POST', json: { path } });
export const listTrash = () => api<{ items: TrashItem[] }>('/api/files/trash');
export const restoreTrash = (id: string) => api(`/api/files/trash/${encodeURIComponent(id)}/restore`, { method: 'POST', json: {} });

/** Uploads one file with `PUT /files/<path>`, reporting progress from 0 to 1. */
export function uploadFile(path: string, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', rawUrl(path));
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let message = `The upload failed (${xhr.status}).`;
      try {
        message = (JSON.parse(xhr.responseText) as { error: { message: string } }).error.message;
      } catch {
        // keep the generic message
      }
      reject(new Error(message));
    };
    xhr.onerror = () => reject(new Error('The upload was interrupted.'));
    xhr.send(file);
  });
}

/** How a file is previewed, from its name. */
export function previewKind(name: string): 'image' | 'video' | 'pdf' | 'markdown' | 'text' | 'none' {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'svg', 'bmp', 'ico'].includes(ext)) return 'image';
  if (['mp4', 'webm', 'ogv', 'mov', 'm4v'].includes(ext)) return 'video';
  if (ext === 'pdf') return 'pdf';
  if (['md', 'markdown'].includes(ext)) return 'markdown';
  if (['txt', 'json', 'js', 'ts', 'tsx', 'jsx', 'css', 'html', 'yml', 'yaml', 'toml', 'csv', 'log', 'sh', 'py', 'go', 'rs', 'sql', 'xml', 'env', 'ini', 'conf'].includes(ext) || !name.includes('.')) return 'text';
  return 'none';
}
