/**
 * Joins item streams into one, xfade-style but without needing xfade: each item is cut into
 * head | body | tail, each transition is built from one tail and the next head only, and the
 * pieces are concatenated. Only transition frames are ever blended.
 */
import type { XfadeTransition } from '../timeline.js';
import { chain, filter, type Chain } from './graph.js';
import type { ItemStream } from './items.js';

/** How a transition is drawn: blended by fade + overlay (any ffmpeg), or by xfade. */
export type JoinKind = { kind: 'cut' } | { kind: 'crossfade' } | { kind: 'xfade'; transition: XfadeTransition };

export interface Join {
  how: JoinKind;
  frames: number;
}

export function joinItems(items: readonly ItemStream[], joins: readonly Join[], fps: number): { chains: Chain[]; label: string } {
  const chains: Chain[] = [];
  const segments: string[] = [];
  items.forEach((item, i) => {
    const before = i === 0 ? undefined : joins[i - 1];
    const head = before?.frames ?? 0;
    const tail = joins[i]?.frames ?? 0;
    chains.push(...cutInParts(item, head, tail));
    const previous = items[i - 1];
    if (before !== undefined && head > 0 && previous !== undefined) {
      const label = `x${i - 1}`;
      chains.push(...transitionChains(before, `${previous.label}tail`, `${item.label}head`, label, fps));
      segments.push(label);
    }
    segments.push(head === 0 && tail === 0 ? item.label : `${item.label}body`);
  });
  if (segments.length === 1) return { chains, label: segments[0] as string };
  chains.push(chain(segments, [filter('concat', { n: segments.length, v: 1, a: 0 })], ['video']));
  return { chains, label: 'video' };
}

/** `<label>head`, `<label>body`, `<label>tail` as needed; nothing when the item is used whole. */
function cutInParts(item: ItemStream, head: number, tail: number): Chain[] {
  if (head === 0 && tail === 0) return [];
  const parts = [
    { name: 'head', start: 0, end: head },
    { name: 'body', start: head, end: item.frames - tail },
    { name: 'tail', start: item.frames - tail, end: item.frames },
  ].filter((p) => p.end > p.start);
  return [
    chain([item.label], [filter('split', { outputs: parts.length })], parts.map((p) => `${item.label}${p.name}in`)),
    ...parts.map((p) =>
      chain(
        [`${item.label}${p.name}in`],
        [filter('trim', { start_frame: p.start, end_frame: p.end }), filter('setpts', { expr: 'PTS-STARTPTS' })],
        [`${item.label}${p.name}`],
      ),
    ),
  ];
}

function transitionChains(join: Join, tail: string, head: string, label: string, fps: number): Chain[] {
  if (join.how.kind === 'xfade') {
    return [
      chain(
        [tail, head],
        [filter('xfade', { transition: join.how.transition, duration: join.frames / fps, offset: 0 })],
        [label],
      ),
    ];
  }
  return [
    chain(
      [head],
      [filter('format', { pix_fmts: 'yuva420p' }), filter('fade', { t: 'in', n: join.frames, alpha: 1 })],
      [`${head}fade`],
    ),
    chain([tail, `${head}fade`], [filter('overlay', { x: 0, y: 0, format: 'yuv420' })], [label]),
  ];
}
