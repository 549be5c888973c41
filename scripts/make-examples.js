#!/usr/bin/env node
// Renders the example slides shown in the README into docs/examples/ (run `npm run build` first):
// one per caption style, look (merged box, alignment, size), canvas preset and script, from a drawn sunset scene,
// shrunk to 360 px wide.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { PRESETS } from '../dist/media/canvas.js';
import { renderSlide } from '../dist/media/slide.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'examples');

const scene = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="2400" height="1800" viewBox="0 0 1600 1200">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2b2d6e"/><stop offset="0.45" stop-color="#e9637a"/><stop offset="0.7" stop-color="#ffc36b"/></linearGradient>
<radialGradient id="sun"><stop offset="0" stop-color="#fff6d0"/><stop offset="1" stop-color="#ffb347"/></radialGradient>
<linearGradient id="sea" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f28c6f"/><stop offset="1" stop-color="#1c3557"/></linearGradient></defs>
<rect width="1600" height="1200" fill="url(#sky)"/><circle cx="980" cy="700" r="150" fill="url(#sun)"/>
<path d="M0 720 L220 520 L420 680 L640 460 L880 720 Z" fill="#3b2a4f"/>
<path d="M700 740 L1000 560 L1250 700 L1450 590 L1600 680 L1600 760 L700 760 Z" fill="#4a3560"/>
<rect y="740" width="1600" height="460" fill="url(#sea)"/>
<g fill="#ffd9a0" opacity="0.7"><rect x="900" y="780" width="160" height="6"/><rect x="870" y="820" width="220" height="6"/><rect x="920" y="870" width="120" height="5"/></g>
<path d="M180 1200 C 260 1000 300 980 380 1200 Z" fill="#0f1a2b"/><path d="M1300 1200 C1360 1050 1420 1040 1480 1200Z" fill="#0f1a2b"/></svg>`);

const examples = [
  { file: 'style-outline.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', caption: 'POV: you finally found the sunset spot everyone gatekeeps ✨🇵🇹' },
  { file: 'style-box.jpg', preset: '9:16', fit: 'cover', style: 'box', position: 'bottom', caption: 'day 3 in Lisbon and I never want to leave 🥹' },
  { file: 'style-shadow.jpg', preset: '9:16', fit: 'cover', style: 'shadow', position: 'top', caption: '5 things nobody tells you about Portugal 👇' },
  { file: 'style-translucent.jpg', preset: '9:16', fit: 'cover', style: 'translucent', position: 'bottom', caption: 'golden hour in Lisbon hits different 🌅 save this spot' },
  { file: 'look-box-merged.jpg', preset: '9:16', fit: 'cover', style: 'box', position: 'center', caption: 'the hills are brutal\nbut the view from the top was worth every single step\nday 3 ✨' },
  { file: 'look-align-left.jpg', preset: '9:16', fit: 'cover', style: 'box', position: 'top', align: 'left', caption: '5 things nobody tells you about moving to Portugal 👇' },
  { file: 'look-align-right.jpg', preset: '9:16', fit: 'cover', style: 'translucent', position: 'bottom', align: 'right', caption: 'part 2 tomorrow,\nfollow so you don’t miss it 🔔' },
  { file: 'look-size-s.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', captionSize: 's', caption: 'day 1 in Lisbon ✨' },
  { file: 'look-size-m.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', captionSize: 'm', caption: 'day 1 in Lisbon ✨' },
  { file: 'look-size-l.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', captionSize: 'l', caption: 'day 1 in Lisbon ✨' },
  { file: 'look-size-120px.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', captionSize: 120, caption: 'day 1 in Lisbon ✨' },
  { file: 'preset-4x5.jpg', preset: '4:5', fit: 'contain', style: 'outline', position: 'bottom', caption: 'the whole view, no crop 🌅' },
  { file: 'preset-1x1.jpg', preset: '1:1', fit: 'cover', style: 'box', position: 'center', caption: 'save this for your next trip 📌' },
  { file: 'script-ja.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', caption: '東京タワーからの夜景、最高すぎた✨「また来たい」って思った' },
  { file: 'script-zh-hans.jpg', preset: '9:16', fit: 'cover', style: 'box', position: 'center', caption: '第三天：终于看到了传说中的日落 🌅 太美了！' },
  { file: 'script-zh-hant.jpg', preset: '9:16', fit: 'cover', style: 'shadow', position: 'center', caption: '台北的夕陽真的太美了，下次還要再來！' },
  { file: 'script-ko.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', caption: '부산 3일차 🇰🇷 여기 진짜 숨은 명소예요' },
  { file: 'script-th.jpg', preset: '9:16', fit: 'cover', style: 'box', position: 'center', caption: 'พระอาทิตย์ตกที่ภูเก็ตสวยมากๆ 🌅 ต้องมาให้ได้สักครั้ง' },
  { file: 'script-hi.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', caption: 'गोवा का सबसे खूबसूरत सूर्यास्त 🌅 इसे सेव कर लो' },
  { file: 'script-bn.jpg', preset: '9:16', fit: 'cover', style: 'shadow', position: 'center', caption: 'কক্সবাজারের সূর্যাস্ত, জীবনে একবার দেখতেই হবে ✨' },
  { file: 'script-ta.jpg', preset: '9:16', fit: 'cover', style: 'outline', position: 'center', caption: 'மெரினா கடற்கரையில் அழகான மாலை 🌅' },
  { file: 'script-mixed.jpg', preset: '9:16', fit: 'cover', style: 'box', position: 'center', caption: 'day 3 in 東京 ✨ ramen at 2am was worth it 🍜' },
];

const dir = await mkdtemp(join(tmpdir(), 'slides-examples-'));
try {
  const source = join(dir, 'sunset.jpg');
  await sharp(scene).jpeg({ quality: 92 }).toFile(source);
  for (const e of examples) {
    const full = join(dir, e.file);
    const { file, preset, ...look } = e;
    await renderSlide({ source, canvas: PRESETS[preset], ...look }, full);
    await sharp(full).resize(360).jpeg({ quality: 80, mozjpeg: true }).toFile(join(out, e.file));
    process.stdout.write(`docs/examples/${e.file}\n`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
