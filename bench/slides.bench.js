// ms per slide for a 10-slide group (cover, captions with emoji), beside the limit: a bare sharp
// resize + composite of the same photos and the same caption SVGs, made beforehand, at the same
// concurrency.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { PRESETS } from '../dist/media/canvas.js';
import { drawCaption } from '../dist/media/caption/caption.js';
import { renderSlides } from '../dist/media/slide.js';
import { fastest } from './lib.js';

const SLIDES = 10;
const CONCURRENCY = 4;
const RUNS = 3;
const canvas = PRESETS['9:16'];

function photoSvg(i) {
  const hue = (i * 37) % 360;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="3024" height="4032">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,30%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},70%,65%)"/></linearGradient></defs>
<rect width="3024" height="4032" fill="url(#g)"/><circle cx="${800 + i * 120}" cy="1800" r="600" fill="hsl(${(hue + 180) % 360},80%,60%)"/>
<path d="M0 2600 L900 1900 L1700 2500 L2400 2000 L3024 2400 L3024 4032 L0 4032 Z" fill="hsl(${hue},30%,20%)"/></svg>`);
}


export async function bench() {
  const dir = await mkdtemp(join(tmpdir(), 'slides-bench-'));
  try {
    const specs = [];
    for (let i = 0; i < SLIDES; i++) {
      const source = join(dir, `photo-${i}.jpg`);
      await sharp(photoSvg(i)).jpeg({ quality: 90 }).toFile(source);
      const caption = `Day ${i + 1} in Lisbon: pastéis de nata, trams and the best sunset ✨🇵🇹 number ${i + 1}`;
      specs.push({ source, canvas, fit: 'cover', caption, style: 'outline', position: 'bottom' });
    }
    const svgs = await Promise.all(specs.map(async (s) => Buffer.from((await drawCaption(s.caption, s)).svg)));

    const ours = await fastest(RUNS, () => renderSlides(specs, join(dir, 'ours'), { concurrency: CONCURRENCY }));
    const limit = pLimit(CONCURRENCY);
    const bare = await fastest(RUNS, () =>
      Promise.all(
        specs.map((s, i) =>
          limit(async () => {
            const jpeg = await sharp(s.source)
              .resize(canvas.width, canvas.height, { fit: 'cover', position: 'attention' })
              .composite([{ input: svgs[i] }])
              .jpeg({ quality: 90, mozjpeg: true })
              .toBuffer();
            await writeFile(join(dir, `bare-${i}.jpg`), jpeg);
          }),
        ),
      ),
    );
    const perSlide = ours / SLIDES;
    const barePerSlide = bare / SLIDES;
    return [
      { metric: `slide, 10-slide group (cover, caption, concurrency ${CONCURRENCY})`, value: perSlide, unit: 'ms', baseline: barePerSlide, ratio: perSlide / barePerSlide, goal: '< 1.5' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
