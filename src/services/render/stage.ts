import type { IO, Progress } from '../../cli/io.js';

/** One step of a render as a status line: updated while it runs, ticked or crossed at the end. */
export async function stage<T>(
  io: IO,
  text: string,
  work: (progress: Progress) => Promise<T>,
  done: (result: T) => string,
): Promise<T> {
  const progress = io.progress(text);
  io.debug(text);
  try {
    const result = await work(progress);
    progress.succeed(done(result));
    return result;
  } catch (error) {
    progress.fail();
    throw error;
  }
}
