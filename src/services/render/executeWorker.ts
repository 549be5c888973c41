/**
 * The child side of executeApart: receives a GroupSpec, executes it, sends back the render's
 * events and its files or its error, then exits. It exits too when its parent goes away.
 */
import { SlidesError } from '../../errors.js';
import { executeGroupSpec } from './execute.js';
import type { GroupSpec } from './spec.js';
import type { WorkerMessage } from './executeApart.js';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

process.on('disconnect', () => process.exit(1));
process.once('message', (spec: GroupSpec) => {
  executeGroupSpec(spec, (event) => void send({ event }))
    .then(
      (files) => send({ files }),
      (error: unknown) =>
        send({
          error: {
            message: error instanceof Error ? error.message : String(error),
            ...(error instanceof SlidesError && error.hint !== undefined ? { hint: error.hint } : {}),
            exitCode: error instanceof SlidesError ? error.exitCode : 1,
          },
        }),
    )
    .finally(() => process.exit(0));
});
