import { messageOf, SlidesError } from '../../errors.js';
import type { RenderStage } from './events.js';

const DOING: Record<RenderStage, string> = {
  fetch: 'fetching the sources',
  slides: 'rendering the slides',
  video: 'rendering the video',
  manifest: 'writing the manifest',
  upload: 'uploading to Exports',
  record: 'recording the group',
};

/**
 * A slide group that did not finish: its row is marked failed, the day's count was given back and
 * the local folder is kept. Exits as its cause would (a bad input file is still a usage error).
 */
export class GroupFailed extends SlidesError {
  override readonly exitCode: number;
  constructor(
    readonly stage: RenderStage,
    readonly folder: string,
    readonly groupId: string,
    cause: unknown,
  ) {
    super(`the slide group failed while ${DOING[stage]}: ${messageOf(cause)}; nothing was counted for today, the local folder is kept at ${folder}`, {
      hint: cause instanceof SlidesError && cause.hint ? cause.hint : 'fix the cause and run slides render again',
      cause,
    });
    this.exitCode = cause instanceof SlidesError ? cause.exitCode : 1;
  }
}

/** The reason stored on the failed slide_groups row. */
export function failureReason(stage: RenderStage, cause: unknown): string {
  return `${DOING[stage]}: ${messageOf(cause)}`;
}
