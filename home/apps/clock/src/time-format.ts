/** Milliseconds as `H:MM:SS` (hours only when needed), with hundredths when asked. */
export function formatDuration(ms: number, hundredths = false): string {
  const total = Math.max(0, Math.floor(ms / 10));
  const cs = total % 100;
  const s = Math.floor(total / 100) % 60;
  const m = Math.floor(total / 6000) % 60;
  const h = Math.floor(total / 360000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  return hundredths ? `${clock}.${pad(cs)}` : clock;
}
