import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startSpinner } from '../../src/cli/spinner.js';

/** A terminal-like stream that resolves once `until` has been written. */
function terminal(until: string) {
  let written = '';
  let seen: () => void = () => {};
  const done = new Promise<void>((resolve) => (seen = resolve));
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, callback) {
        written += String(chunk);
        if (written.includes(until)) seen();
        callback();
      },
    }),
    { isTTY: true, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true },
  );
  return { stream, done: done.then(() => written) };
}

describe('the spinner follows the IO’s colour decision', () => {
  it.each([
    [true, '\u001b[32m✔\u001b[39m Local database ready', '\u001b[31m✖\u001b[39m failed here'],
    [false, '✔ Local database ready', '✖ failed here'],
  ])('colour %s: the frame and the ✔/✖ symbols', async (color, succeeded, failed) => {
    const ok = terminal('ready');
    startSpinner('Creating', ok.stream, { color }).succeed('Local database ready');
    const okText = await ok.done;
    expect(okText).toContain(succeeded);
    expect(/\u001b\[3\dm/.test(okText)).toBe(color);

    const bad = terminal('failed here');
    startSpinner('Trying', bad.stream, { color }).fail('failed here');
    expect(await bad.done).toContain(failed);
  });
});
