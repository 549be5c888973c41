#!/usr/bin/env node
// `npm run demo`: the main job end to end, offline, on the embedded database. Draws four example
// photos with sharp, then runs the real CLI: upload → session new → render. Everything lives in
// .tmp/demo/ (SLIDES_HOME; photos/, data/groups/, data/storage/Exports/), wiped at each run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const home = join(root, '.tmp', 'demo');
const photos = join(home, 'photos');

const sunset = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2b2d6e"/><stop offset="0.45" stop-color="#e9637a"/><stop offset="0.7" stop-color="#ffc36b"/></linearGradient>
<radialGradient id="sun"><stop offset="0" stop-color="#fff6d0"/><stop offset="1" stop-color="#ffb347"/></radialGradient>
<linearGradient id="sea" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f28c6f"/><stop offset="1" stop-color="#1c3557"/></linearGradient></defs>
<rect width="1600" height="1200" fill="url(#sky)"/><circle cx="820" cy="700" r="150" fill="url(#sun)"/>
<path d="M0 720 L220 520 L420 680 L640 460 L880 720 Z" fill="#3b2a4f"/>
<rect y="740" width="1600" height="460" fill="url(#sea)"/>
<g fill="#ffd9a0" opacity="0.7"><rect x="740" y="780" width="160" height="6"/><rect x="710" y="820" width="220" height="6"/><rect x="760" y="870" width="120" height="5"/></g></svg>`;

const mountains = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1600">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#89c2f5"/><stop offset="1" stop-color="#e8f4ff"/></linearGradient>
<linearGradient id="lake" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3f7fb0"/><stop offset="1" stop-color="#173a5c"/></linearGradient></defs>
<rect width="1200" height="1600" fill="url(#sky)"/>
<path d="M0 1000 L300 520 L480 760 L700 380 L950 780 L1200 560 L1200 1100 L0 1100 Z" fill="#5b6f8a"/>
<path d="M640 470 L700 380 L760 470 L730 455 L700 480 L670 455 Z" fill="#ffffff"/>
<path d="M250 600 L300 520 L350 600 L320 590 L300 610 Z" fill="#ffffff"/>
<path d="M0 1100 L200 900 L420 1050 L640 880 L900 1080 L1200 920 L1200 1150 L0 1150 Z" fill="#2f5d3a"/>
<rect y="1150" width="1200" height="450" fill="url(#lake)"/>
<g fill="#1e4a2a">${[80, 260, 470, 690, 910, 1100].map((x) => `<path d="M${x} 1150 L${x + 40} 1010 L${x + 80} 1150 Z"/>`).join('')}</g></svg>`;

const city = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#0b1026"/><stop offset="1" stop-color="#3a2466"/></linearGradient></defs>
<rect width="1600" height="1200" fill="url(#sky)"/><circle cx="1260" cy="220" r="70" fill="#f4f1de"/>
${[[60, 520, 180], [260, 380, 160], [440, 600, 200], [660, 300, 150], [830, 460, 220], [1070, 540, 170], [1260, 420, 200], [1480, 640, 120]]
  .map(([x, top, w]) => {
    const lit = [];
    for (let y = top + 30; y < 1160; y += 60) for (let wx = x + 20; wx < x + w - 30; wx += 40) if ((wx * 7 + y * 3) % 5 < 2) lit.push(`<rect x="${wx}" y="${y}" width="18" height="26"/>`);
    return `<rect x="${x}" y="${top}" width="${w}" height="${1200 - top}" fill="#151a33"/><g fill="#ffd36e">${lit.join('')}</g>`;
  })
  .join('')}</svg>`;

const beach = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1500">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3ec7e0"/><stop offset="1" stop-color="#c9f3ff"/></linearGradient>
<linearGradient id="sea" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1fb5c9"/><stop offset="1" stop-color="#0d7f9c"/></linearGradient></defs>
<rect width="1200" height="1500" fill="url(#sky)"/><circle cx="950" cy="260" r="110" fill="#fff3b0"/>
<rect y="760" width="1200" height="260" fill="url(#sea)"/>
<path d="M0 1000 C 300 960 700 1060 1200 990 L1200 1500 L0 1500 Z" fill="#f5d9a6"/>
<path d="M300 1250 C 320 1000 300 800 340 640" stroke="#6b4423" stroke-width="34" fill="none"/>
<g fill="#2e8b57"><path d="M340 640 C 200 600 120 660 80 720 C 200 660 280 660 340 650Z"/><path d="M340 640 C 470 580 560 630 610 700 C 490 650 410 650 340 650Z"/>
<path d="M340 640 C 300 520 220 480 150 490 C 240 520 290 580 336 645Z"/><path d="M340 640 C 400 520 480 500 560 520 C 470 540 400 590 344 645Z"/></g></svg>`;

const examples = [
  ['01-sunset.jpg', sunset],
  ['02-mountains.jpg', mountains],
  ['03-city.jpg', city],
  ['04-beach.jpg', beach],
];

const captions = [
  'golden hour in Lisbon ✨ | the sunset spot everyone gatekeeps 🌅',
  'woke up at 5am for this view 🏔️',
  'the city never sleeps, neither do I 🌃',
  'save this for your next trip 📌',
];

function slides(args) {
  const env = { ...process.env, SLIDES_HOME: home, SLIDES_BACKEND: 'local' };
  const result = spawnSync(process.execPath, [join(root, 'bin', 'slides.js'), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(`\ndemo: \`slides ${args.join(' ')}\` failed (exit ${result.status})\n`);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

const step = (text) => process.stdout.write(`\n▶ ${text}\n`);

rmSync(home, { recursive: true, force: true });
mkdirSync(photos, { recursive: true });
step(`drawing ${examples.length} example photos into ${relative(root, photos)}/`);
for (const [name, svg] of examples) await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toFile(join(photos, name));
writeFileSync(join(home, 'captions.txt'), `${captions.join('\n')}\n`);

step('slides upload');
process.stdout.write(slides(['upload', photos]));
step('slides session new --all --yes --frequency 3 --captions captions.txt');
process.stdout.write(slides(['session', 'new', '--all', '--yes', '--frequency', '3', '--captions', join(home, 'captions.txt')]));
step('slides render --motion kenburns --slide-duration 2.5');
const group = JSON.parse(slides(['render', '--motion', 'kenburns', '--slide-duration', '2.5', '--json']));

const rel = (path) => relative(process.cwd(), path) || '.';
process.stdout.write(`
Done: slide group ${group.groupNumber} (${group.slides.length} slides + video), ${group.createdToday} of ${group.maxPerDay} for today.
  local folder  ${rel(group.folder)}/
  video         ${rel(group.video)}
  Exports       ${rel(group.exportsOnDisk)}/   (the Exports bucket of the embedded backend)
  everything    ${rel(home)}/   (SLIDES_HOME; delete it when done)

Try more: SLIDES_HOME=${rel(home)} node bin/slides.js render --style box --position bottom
`);
