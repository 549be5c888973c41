/**
 * System tools some tests need (Debian's ffmpeg, PostgreSQL, crontab, tmux). Without one, the
 * tests that need it skip, saying so; under CI=true its absence fails the run instead, so a green
 * CI means they ran (`.ci/run` installs them first).
 */
export function skipWithout(tool: string, present: boolean, install: string): boolean {
  if (present) return false;
  if (process.env.CI === 'true') {
    throw new Error(`${tool} is not installed and CI=true: the tests that need it would skip (${install})`);
  }
  return true;
}
