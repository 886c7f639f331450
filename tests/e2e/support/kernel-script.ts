import type { Script } from '../../../packages/kernel/test/support/scripted-anthropic.ts';

/**
 * What the scripted model does in the browser tests: asked for the clock, it opens it, says so and
 * answers; asked for a note, it writes one; asked to think slowly, it never finishes (until stopped).
 */
export const e2eKernelScript: Script = (r) => {
  if (/slowly/i.test(r.userText)) return { hang: true, afterText: 'Thinking slowly…' };
  if (/note/i.test(r.userText)) {
    if (r.step === 0) return { toolUses: [{ name: 'mcp__matrix__write_file', input: { path: 'notes/from-kernel.md', content: '# Written by the kernel\n' } }] };
    return { text: 'Wrote notes/from-kernel.md.' };
  }
  if (!/clock/i.test(r.userText)) return { text: 'I can only put the clock on your canvas, write a note, or think slowly in this test.' };
  if (r.step === 0) return { text: 'Putting the clock on your canvas.', toolUses: [{ name: 'mcp__matrix__open_window', input: { target: 'clock' } }] };
  if (r.step === 1) return { toolUses: [{ name: 'mcp__matrix__notify', input: { title: 'Clock is ready', body: 'It is on your canvas now.', level: 'success' } }] };
  return { text: 'Done: the clock is on your canvas.' };
};
