/** The steps of a render, in order; a failure names the one it happened in. */
export type RenderStage = 'fetch' | 'slides' | 'video' | 'manifest' | 'upload' | 'record';

/**
 * What a render reports while it runs. The service owns these; the command turns them into
 * spinners and warnings.
 */
export type RenderEvent =
  /** An earlier render of the session died in `rendering`: marked failed, its count given back. */
  | { type: 'recovered'; groupNumber: number; startedAt: string }
  | { type: 'stage'; stage: RenderStage; status: 'start'; total: number }
  /** `seconds`: the video's length; `folder`: where the group went in Exports. */
  | { type: 'stage'; stage: RenderStage; status: 'done'; total: number; seconds?: number; folder?: string }
  | { type: 'stage'; stage: RenderStage; status: 'failed' }
  /** Files fetched or uploaded so far. */
  | { type: 'files'; stage: 'fetch' | 'upload'; done: number; total: number }
  /** The share of the video encoded, 0..1. */
  | { type: 'frame'; fraction: number };

export type OnRenderEvent = (event: RenderEvent) => void;

/** Runs one stage between its start and done (or failed) events. */
export async function inStage<T>(
  report: OnRenderEvent,
  stage: RenderStage,
  total: number,
  work: () => Promise<T>,
  done: (result: T) => { seconds?: number; folder?: string } = () => ({}),
): Promise<T> {
  report({ type: 'stage', stage, status: 'start', total });
  try {
    const result = await work();
    report({ type: 'stage', stage, status: 'done', total, ...done(result) });
    return result;
  } catch (error) {
    report({ type: 'stage', stage, status: 'failed' });
    throw error;
  }
}
