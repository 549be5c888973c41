import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ObjectStore } from '../../db/backend.js';
import { renderSlide } from '../../media/slide.js';
import type { Warning } from '../../warning.js';
import { pickCaption } from '../captions/pick.js';
import { groupLook } from '../render/assets.js';
import { fetchSources } from '../render/fetchSources.js';
import { resolveLook, type AssetChoice, type LookInput } from '../render/look.js';
import { captionLook, slideSpecOf } from '../render/spec.js';
import type { Candidate } from './candidates.js';

export interface LookPreview {
  /** The photo the preview shows: the session's first (a clip's slide needs a still from ffmpeg). */
  item: Candidate;
  /** Its caption; group 1's alternative is drawn. */
  caption: string | null;
  /** The look chosen for the session, over `defaults` (the config's) and the built-in. */
  look: LookInput;
  defaults: LookInput;
  /** Where fetched sources are kept (the render's cache). */
  cacheDir: string;
  out: string;
}

/** Renders one slide of the session in the look it is about to store, as its first group would draw it. */
export async function renderLookPreview(storage: ObjectStore, p: LookPreview): Promise<{ file: string; warnings: Warning[] }> {
  const { look } = resolveLook({ flags: p.look, config: p.defaults });
  const font = look.font as AssetChoice | undefined;
  const fontFile = font && 'path' in font ? font.path : undefined;
  const source = p.item.localPath ?? (await fetchSources(storage, [p.item.file], { cacheDir: p.cacheDir }))[0];
  if (source === undefined) throw new Error(`no local copy of ${p.item.name}`);
  const slideLook = groupLook(look);
  await mkdir(dirname(p.out), { recursive: true });
  const spec = slideSpecOf(slideLook, captionLook(slideLook, fontFile), source, pickCaption(p.caption, 1));
  const { warnings } = await renderSlide({ ...spec, format: 'jpeg' }, p.out);
  return { file: p.out, warnings };
}
