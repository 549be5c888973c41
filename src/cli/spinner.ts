import type { Writable } from 'node:stream';
import { styles, type Progress } from './io.js';

/**
 * An ora spinner, loaded on first use so commands that never spin never pay for it. The IO has
 * decided it may be drawn; its colours (the frame's, the ✔ and ✖) follow the IO's rather than
 * chalk's own guess, which ignores NO_COLOR.
 */
export function startSpinner(text: string, stream: Writable, o: { color: boolean }): Progress {
  const style = styles(o.color);
  let latest = text;
  let ended: { kind: 'succeed' | 'fail' | 'stop'; text?: string } | undefined;
  let spinner: import('ora').Ora | undefined;
  const finish = () => {
    if (!spinner || !ended) return;
    if (ended.kind === 'stop') spinner.stop();
    else spinner.stopAndPersist({ symbol: ended.kind === 'succeed' ? style.green('✔') : style.red('✖'), text: ended.text ?? latest });
  };
  const loading = import('ora').then(({ default: ora }) => {
    spinner = ora({ text: latest, stream: stream as NodeJS.WritableStream, color: o.color ? 'cyan' : false, isEnabled: true }).start();
    finish();
  });
  void loading;
  return {
    update(next) {
      latest = next;
      if (spinner) spinner.text = next;
    },
    succeed(final) {
      ended = { kind: 'succeed', text: final };
      finish();
    },
    fail(final) {
      ended = { kind: 'fail', text: final };
      finish();
    },
    stop() {
      ended = { kind: 'stop' };
      finish();
    },
  };
}
