/** ffmpeg's `-progress` output (key=value lines, in blocks ending `progress=continue|end`) → 0..1. */

/** Feed it stdout chunks; it calls `onFraction` once per block, never going backwards. */
export function progressReader(totalSeconds: number, onFraction: (fraction: number) => void): (chunk: string) => void {
  let pending = '';
  let seconds = 0;
  let reported = -1;
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const [key, value = ''] = line.trim().split('=', 2);
      if (key === 'out_time') seconds = parseClock(value) ?? seconds;
      if (key !== 'progress') continue;
      const fraction = value === 'end' ? 1 : Math.min(1, Math.max(0, seconds / totalSeconds));
      if (fraction > reported) {
        reported = fraction;
        onFraction(fraction);
      }
    }
  };
}

/** `HH:MM:SS.micro`; ffmpeg prints `N/A` (or a negative time) before the first frame. */
export function parseClock(text: string): number | undefined {
  const match = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}
