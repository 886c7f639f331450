/*
 * Requests the layout's inline script starts before any chunk has loaded (sign-in status, the apps,
 * the preferences, the canvas list and the canvas this browser used last), so the first canvas
 * does not wait for them after hydration, and their answers land before the first render instead
 * of re-rendering it. Each is taken once; later calls go to the network.
 */
import { api } from './api.ts';

type Boot = Record<string, Promise<unknown> | undefined>;

/** The paths the boot script fetches (the last canvas's path is added when there is one). */
const BOOT_PATHS = ['/api/auth/status', '/api/apps', '/api/settings/shell', '/api/canvas'];

/** `GET path`: the boot script's answer if it asked for it (once), else `api(path)`. */
export function bootApi<T>(path: string): Promise<T> {
  const b = ((globalThis as { __matrixBoot?: Boot }).__matrixBoot ??= {});
  const early = b[path] as Promise<T | null> | undefined;
  delete b[path];
  // A failed early request (signed out, say) answers null: ask again, so the error is the real one.
  return early ? early.then((v) => v ?? api<T>(path)) : api<T>(path);
}

/** The inline script (kept tiny, no imports): starts the requests and leaves them for the shell. */
export const BOOT_SCRIPT = `try{var j=function(u){return fetch(u,{credentials:'same-origin'}).then(function(r){return r.ok?r.json():null}).catch(function(){return null})};var b=window.__matrixBoot={};${JSON.stringify(BOOT_PATHS)}.forEach(function(p){b[p]=j(p)});var c=localStorage.getItem('matrix.canvas');if(c&&/^[0-9a-f-]{36}$/.test(c))b['/api/canvas/'+c]=j('/api/canvas/'+c)}catch(e){}`;
