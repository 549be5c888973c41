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

const require = createRequire(import.meta.url);
const SLIDE = fileURLToPath(new URL('../dist/media/slide.js', import.meta.url));
const CANVAS = fileURLToPath(new URL('../dist/media/canvas.js', import.meta.url));
const WARM = 5;

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

/** In a fresh node: the first slide with `caption` (ms), then the median of WARM more. */
const CHILD = `
const [slide, canvas, source, out, caption] = process.argv.slice(1);
const { renderSlide } = await import(slide);
const { PRESETS } = await import(canvas);
const spec = { source, canvas: PRESETS['9:16'], fit: 'cover', style: 'outline', position: 'center', caption };
let t = performance.now();
const { warnings } = await renderSlide(spec, out);
const cold = performance.now() - t;
const warm = [];
for (let i = 0; i < ${WARM}; i++) { t = performance.now(); await renderSlide(spec, out); warm.push(performance.now() - t); }
warm.sort((a, b) => a - b);
console.log(JSON.stringify({ cold, warm: warm[Math.floor(warm.length / 2)], warnings }));
`;

async function firstSlide(dir, source, caption) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD, SLIDE, CANVAS, source, join(dir, 'out.jpg'), caption]);
  const result = JSON.parse(stdout);
  if (result.warnings.length > 0) throw new Error(`caption "${caption}" warned: ${result.warnings.join('; ')}`);
  return result;
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
    const results = {};
    for (const [script, caption] of Object.entries(CAPTIONS)) results[script] = await firstSlide(dir, source, caption);
    const latin = results.Latin;
    for (const [script, { cold }] of Object.entries(results)) {
      rows.push({ metric: `first ${script} slide in a fresh process (fonts read cold)`, value: cold, unit: 'ms', baseline: latin.cold, ratio: cold / latin.cold });
    }
    for (const script of ['Japanese', 'Simplified Chinese', 'Korean', 'Thai']) {
      const { warm } = results[script];
      rows.push({ metric: `warm ${script} slide vs Latin (median of ${WARM})`, value: warm, unit: 'ms', baseline: latin.warm, ratio: warm / latin.warm, goal: '≤ 1.3x' });
    }
    let bytes = 0;
    for (const name of FONT_PACKAGES) bytes += await folderBytes(dirname(require.resolve(`${name}/package.json`)));
    rows.push({ metric: 'bundled script fonts and their decoders in node_modules', value: bytes / 1e6, unit: 'MB' });
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
