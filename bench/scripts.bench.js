// Caption scripts: the first slide a fresh process renders in each script (cold: the fonts it
// needs are read, CJK subsets unpacked from WOFF2), the warm slide time against a Latin caption
// (goal ≤ 1.3x), and what the bundled Noto faces add to node_modules.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { median } from './lib.js';

const require = createRequire(import.meta.url);
const SLIDE = fileURLToPath(new URL('../dist/media/slide.js', import.meta.url));
const CANVAS = fileURLToPath(new URL('../dist/media/canvas.js', import.meta.url));
const WARM = 9;
const COLD_RUNS = 3;

const CAPTIONS = {
  Latin: 'day 3 in Lisbon and I never want to leave 🥹',
  Japanese: '東京タワーからの夜景、最高すぎた✨「また来たい」',
  'Simplified Chinese': '第三天：终于看到了传说中的日落 🌅 太美了！',
  'Traditional Chinese': '台北的夕陽真的太美了，下次還要再來！',
  Korean: '부산 3일차 여기 진짜 숨은 명소예요',
  Thai: 'พระอาทิตย์ตกที่ภูเก็ตสวยมากๆ ต้องมาให้ได้',
  Devanagari: 'गोवा का सबसे खूबसूरत सूर्यास्त इसे सेव कर लो',
  Bengali: 'কক্সবাজারের সূর্যাস্ত, জীবনে একবার দেখতেই হবে',
  Tamil: 'மெரினா கடற்கரையில் அழகான மாலை',
};

const FONT_PACKAGES = [
  '@fontsource-variable/noto-sans-jp',
  '@fontsource-variable/noto-sans-sc',
  '@fontsource-variable/noto-sans-tc',
  '@fontsource-variable/noto-sans-kr',
  '@fontsource/noto-sans-thai',
  '@fontsource/noto-sans-devanagari',
  '@fontsource/noto-sans-bengali',
  '@fontsource/noto-sans-tamil',
  'wawoff2',
  'traditional-or-simplified',
];

/** In a fresh node: the first slide with `caption`, ms. */
const COLD = `
const [slide, canvas, source, out, caption] = process.argv.slice(1);
const { renderSlide } = await import(slide);
const { PRESETS } = await import(canvas);
const t = performance.now();
const { warnings } = await renderSlide({ source, canvas: PRESETS['9:16'], fit: 'cover', style: 'outline', position: 'center', caption }, out);
console.log(JSON.stringify({ ms: performance.now() - t, warnings }));
`;

/** In one node, fonts loaded: WARM rounds of one slide per caption, interleaved so load shifts hit all alike; the median per caption, ms. */
const WARM_ROUNDS = `
const [slide, canvas, source, out, json] = process.argv.slice(1);
const captions = JSON.parse(json);
const { renderSlide } = await import(slide);
const { PRESETS } = await import(canvas);
const spec = (caption) => ({ source, canvas: PRESETS['9:16'], fit: 'cover', style: 'outline', position: 'center', caption });
for (const caption of Object.values(captions)) await renderSlide(spec(caption), out);
const times = Object.fromEntries(Object.keys(captions).map((k) => [k, []]));
for (let i = 0; i < ${WARM}; i++) {
  for (const [k, caption] of Object.entries(captions)) {
    const t = performance.now();
    await renderSlide(spec(caption), out);
    times[k].push(performance.now() - t);
  }
}
console.log(JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.sort((a, b) => a - b)[v.length >> 1]]))));
`;

async function node(script, ...args) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, SLIDE, CANVAS, ...args]);
  return JSON.parse(stdout);
}

async function firstSlide(dir, source, caption) {
  const result = await node(COLD, source, join(dir, 'out.jpg'), caption);
  if (result.warnings.length > 0) throw new Error(`caption "${caption}" warned: ${result.warnings.join('; ')}`);
  return result.ms;
}


async function folderBytes(folder) {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(entry.parentPath ?? folder, entry.name);
    total += entry.isDirectory() ? await folderBytes(path) : (await stat(path)).size;
  }
  return total;
}

export async function bench() {
  const dir = await mkdtemp(join(tmpdir(), 'slides-bench-scripts-'));
  try {
    const source = join(dir, 'photo.jpg');
    await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#6a7fb5' } }).jpeg().toFile(source);
    const rows = [];
    const runs = Object.fromEntries(Object.keys(CAPTIONS).map((script) => [script, []]));
    for (let i = 0; i < COLD_RUNS; i++) {
      for (const [script, caption] of Object.entries(CAPTIONS)) runs[script].push(await firstSlide(dir, source, caption));
    }
    const cold = Object.fromEntries(Object.entries(runs).map(([script, ms]) => [script, median(ms)]));
    for (const [script, ms] of Object.entries(cold)) {
      rows.push({ metric: `first ${script} slide in a fresh process, fonts read cold (median of ${COLD_RUNS})`, value: ms, unit: 'ms', baseline: cold.Latin, ratio: ms / cold.Latin });
    }
    const compared = ['Latin', 'Japanese', 'Simplified Chinese', 'Korean', 'Thai'];
    const warm = await node(WARM_ROUNDS, source, join(dir, 'out.jpg'), JSON.stringify(Object.fromEntries(compared.map((k) => [k, CAPTIONS[k]]))));
    for (const script of compared.slice(1)) {
      rows.push({ metric: `warm ${script} slide vs Latin (median of ${WARM})`, value: warm[script], unit: 'ms', baseline: warm.Latin, ratio: warm[script] / warm.Latin, goal: '≤ 1.3x' });
    }
    let bytes = 0;
    for (const name of FONT_PACKAGES) bytes += await folderBytes(dirname(require.resolve(`${name}/package.json`)));
    rows.push({ metric: 'bundled script fonts and their decoders in node_modules', value: bytes / 1e6, unit: 'MB' });
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
