/** What lay-down does with one file of the template (or of the last lay-down). */
export type LayDownAction =
  | 'add' // new in the template: copy it
  | 'update' // the user never touched it and the template changed: replace it
  | 'remove' // gone from the template and untouched: delete it
  | 'same' // already what the template holds
  | 'keep'; // the user changed, deleted or made it: leave it alone

/** Hash of each file by home-relative path. */
export type HashMap = Record<string, string>;

/**
 * Decides, from content hashes alone, what to do with each file: `template` is what the template
 * holds now, `laidDown` what the last lay-down wrote (the manifest), `current` what the home holds
 * (null when missing). Returns the actions and the next manifest.
 */
export function planLayDown(template: HashMap, laidDown: HashMap, current: Record<string, string | null>): { actions: Record<string, LayDownAction>; manifest: HashMap } {
  const actions: Record<string, LayDownAction> = {};
  const manifest: HashMap = {};
  for (const [rel, tpl] of Object.entries(template)) {
    const prev = laidDown[rel];
    const cur = current[rel] ?? null;
    if (cur === null) {
      // Laid down before and now missing: the user deleted it, and that choice stands.
      actions[rel] = prev === undefined ? 'add' : 'keep';
      manifest[rel] = prev ?? tpl;
    } else if (cur === tpl) {
      actions[rel] = 'same';
      manifest[rel] = tpl;
    } else if (cur === prev) {
      actions[rel] = 'update';
      manifest[rel] = tpl;
    } else {
      actions[rel] = 'keep';
      // Remember what we wrote last: if the user restores that version, it counts as untouched again.
      if (prev !== undefined) manifest[rel] = prev;
    }
  }
  for (const [rel, prev] of Object.entries(laidDown)) {
    if (rel in template) continue;
    const cur = current[rel] ?? null;
    actions[rel] = cur !== null && cur === prev ? 'remove' : 'keep';
  }
  return { actions, manifest };
}
