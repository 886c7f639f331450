/*
 * Requests the layout's inline script starts before any chunk has loaded (sign-in status, and the
 * canvas this browser used last), so the first canvas does not wait for them after hydration.
 * Each is taken once; later calls go to the network.
 */
type Boot = { status?: Promise<unknown>; canvas?: { id: string; record: Promise<unknown> } };

function boot(): Boot {
  return ((globalThis as { __matrixBoot?: Boot }).__matrixBoot ??= {});
}

/** The early `/api/auth/status` answer (null when it failed), once. */
export function takeBootStatus(): Promise<unknown> | undefined {
  const b = boot();
  const p = b.status;
  delete b.status;
  return p;
}

/** The early `GET /api/canvas/<id>` answer for `id` (null when it failed), once. */
export function takeBootCanvas(id: string): Promise<unknown> | undefined {
  const b = boot();
  if (b.canvas?.id !== id) return undefined;
  const p = b.canvas.record;
  delete b.canvas;
  return p;
}

/** The inline script (kept tiny, no imports): starts both requests and leaves them for the shell. */
export const BOOT_SCRIPT = `try{var j=function(u){return fetch(u,{credentials:'same-origin'}).then(function(r){return r.ok?r.json():null}).catch(function(){return null})};var b=window.__matrixBoot={status:j('/api/auth/status')};var c=localStorage.getItem('matrix.canvas');if(c&&/^[0-9a-f-]{36}$/.test(c))b.canvas={id:c,record:j('/api/canvas/'+c)}}catch(e){}`;
