import type { Writable } from 'node:stream';
import type { Progress } from './io.js';

/** An ora spinner, loaded on first use so commands that never spin never pay for it. */
export function startSpinner(text: string, stream: Writable): Progress {
  let latest = text;
  let ended: { kind: 'succeed' | 'fail' | 'stop'; text?: string } | undefined;
  let spinner: import('ora').Ora | undefined;
  const finish = () => {
    if (!spinner || !ended) return;
    if (ended.kind === 'stop') spinner.stop();
    else spinner[ended.kind](ended.text ?? latest);
  };
  const loading = import('ora').then(({ default: ora }) => {
    spinner = ora({ text: latest, stream: stream as NodeJS.WritableStream }).start();
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
