// What the text looks cost: building the merged box outline for a six-line caption (pure), drawing
// a caption's SVG per style (warm fonts), and a slide with a box or translucent caption beside the
// same slide with the outline one (TikTok's default look, unchanged by the looks).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { PRESETS } from '../dist/media/canvas.js';
import { boxPath } from '../dist/media/caption/boxPath.js';
import { drawCaption } from '../dist/media/caption/caption.js';
import { renderSlide } from '../dist/media/slide.js';
import { median } from './lib.js';

const canvas = PRESETS['9:16'];
const CAPTION = 'the hills are brutal\nbut the view from the top was worth every single step\nday 3 in Lisbon ✨ save this for later 📌';
const RUNS = 25;


/** Median ms of each style's run, the styles taken in turn so a change in the machine's load hits all alike. */
async function interleaved(styles, fn, runs) {
  const times = Object.fromEntries(styles.map((s) => [s, []]));
  for (const style of styles) await fn(style);
  for (let r = 0; r < runs; r++) {
    for (const style of styles) {
      const start = performance.now();
      await fn(style);
      times[style].push(performance.now() - start);
    }
  }
  return Object.fromEntries(styles.map((s) => [s, median(times[s])]));
}

export async function bench() {
  const lines = [300, 620, 540, 700, 260, 480].map((width, i) => ({ left: 540 - width / 2, top: 700 + i * 72, width, height: 72 }));
  const CALLS = 20_000;
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) boxPath(lines, 16.5);
  const pathMicros = ((performance.now() - start) * 1000) / CALLS;

  const styles = ['outline', 'box', 'translucent'];
  const look = (style) => ({ canvas, style, position: 'center' });
  const svg = await interleaved(styles, (style) => drawCaption(CAPTION, look(style)), RUNS);

  const dir = await mkdtemp(join(tmpdir(), 'slides-bench-looks-'));
  try {
    const source = join(dir, 'photo.jpg');
    await sharp({ create: { width: 3024, height: 4032, channels: 3, background: '#4a7fb5' } }).jpeg({ quality: 90 }).toFile(source);
    const slide = await interleaved(styles, (style) => renderSlide({ source, fit: 'cover', caption: CAPTION, ...look(style) }, join(dir, `${style}.jpg`)), 7);
    return [
      { metric: 'box outline path, 6 lines (boxPath)', value: pathMicros, unit: 'µs' },
      { metric: 'caption SVG, box (3 paragraphs, 5 lines)', value: svg.box, unit: 'ms', baseline: svg.outline, ratio: svg.box / svg.outline },
      { metric: 'caption SVG, translucent', value: svg.translucent, unit: 'ms', baseline: svg.outline, ratio: svg.translucent / svg.outline },
      { metric: 'slide with a box caption (12 MP photo)', value: slide.box, unit: 'ms', baseline: slide.outline, ratio: slide.box / slide.outline, goal: '≈ 1' },
      { metric: 'slide with a translucent caption', value: slide.translucent, unit: 'ms', baseline: slide.outline, ratio: slide.translucent / slide.outline, goal: '≈ 1' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
