#!/usr/bin/env node
// The bad-input corpus of tests/reliability/corpus.test.ts (see tests/fixtures/bad/README.md):
// `node scripts/make-bad-corpus.js DIR` writes it into DIR (default tests/fixtures/bad/generated).
// Every byte is derived from fixed numbers, so two runs write the same files. Needs `npm run build`
// (ffmpeg is found as slides finds it) and a POSIX system (symlinks, mkfifo).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { resolveFfmpeg } from '../dist/media/ffmpeg/binaries.js';

/** Media the CLI takes, however odd: each must be uploaded and rendered. */
export const ACCEPTED = {
  'good photo.jpg': 'a plain 640x480 JPEG',
  'été 🌅 à Lisbonne.jpg': 'unicode and spaces in the name',
  'good clip.mp4': 'a 1 s H.264 clip',
  'really a png.jpg': 'a PNG named .jpg (detected by content)',
  'huge 50mp.jpg': 'a 50-megapixel JPEG (8192x6144)',
  'tiny 1x1.jpg': 'a 1x1 JPEG',
  'cmyk.jpg': 'a CMYK JPEG',
  'animated.gif': 'an animated GIF (its first frame is the slide)',
};

/** What upload must skip, each with the words its one line must contain. */
export const SKIPPED = {
  'empty.jpg': 'empty file (0 bytes)',
  'cut short.jpg': 'not a readable JPEG image',
  'broken.mp4': 'not a readable MP4 clip',
  'notes.jpg': 'named .jpg but its content is not JPEG',
  'notes.mp4': 'named .mp4 but its content is not MP4',
  'loop.jpg': 'symlink loop',
  // Root reads through chmod 000, so a named pipe is the unreadable file that works for any user:
  // reading one would block forever, and the scan must not try.
  'locked.jpg': 'not a regular file (a named pipe)',
};

/** Captions by file name (a .json --captions file): emoji, right-to-left, 300 characters, only whitespace. */
export const CAPTIONS = {
  'good photo.jpg': 'golden hour 🌅✨ with the crew 👋🏽👩‍👩‍👧 🇵🇹',
  'été 🌅 à Lisbonne.jpg': 'שלום מליסבון · مرحبا من لشبونة',
  'really a png.jpg': `${'Lisbon in 300 characters: '.padEnd(299, 'tram 28, pastel de nata, miradouro at sunset, ')}!`,
  'tiny 1x1.jpg': ' \t  ',
};

const PHOTO = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2b2d6e"/><stop offset="1" stop-color="#ffc36b"/></linearGradient></defs>
<rect width="640" height="480" fill="url(#g)"/><circle cx="320" cy="230" r="70" fill="#e9637a"/></svg>`;

function ffmpeg(args) {
  execFileSync(resolveFfmpeg().path, ['-v', 'error', '-y', '-fflags', '+bitexact', ...args]);
}

/** A JPEG full of entropy-coded data, so its first half still has a valid header. */
async function noisyJpeg() {
  const noise = Buffer.alloc(200 * 150 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  return sharp(noise, { raw: { width: 200, height: 150, channels: 3 } }).jpeg().toBuffer();
}

/** Writes the corpus into `dir/files` (the folder to upload) and `dir/captions.json`; returns `dir/files`. */
export async function makeBadCorpus(dir) {
  const files = join(dir, 'files');
  rmSync(files, { recursive: true, force: true });
  mkdirSync(files, { recursive: true });
  const at = (name) => join(files, name);

  await sharp(Buffer.from(PHOTO)).jpeg({ quality: 85 }).toFile(at('good photo.jpg'));
  await sharp(Buffer.from(PHOTO)).flop().jpeg({ quality: 85 }).toFile(at('été 🌅 à Lisbonne.jpg'));
  await sharp(Buffer.from(PHOTO)).flip().png().toFile(at('really a png.jpg'));
  await sharp({ create: { width: 8192, height: 6144, channels: 3, background: '#3fa37a' } }).jpeg().toFile(at('huge 50mp.jpg'));
  await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ff5f8f' } }).jpeg().toFile(at('tiny 1x1.jpg'));
  await sharp(Buffer.from(PHOTO)).resize(320, 240).toColourspace('cmyk').jpeg().toFile(at('cmyk.jpg'));
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=1', at('animated.gif')]);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=1', '-c:v', 'libx264', '-threads', '1', '-pix_fmt', 'yuv420p', at('good clip.mp4')]);

  writeFileSync(at('empty.jpg'), '');
  const jpeg = await noisyJpeg();
  writeFileSync(at('cut short.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25:duration=1', '-c:v', 'libx264', '-threads', '1', '-pix_fmt', 'yuv420p', at('whole.mp4')]);
  const clip = readFileSync(at('whole.mp4'));
  writeFileSync(at('broken.mp4'), clip.subarray(0, Math.floor(clip.length / 2)));
  rmSync(at('whole.mp4'));
  writeFileSync(at('notes.jpg'), 'shopping list: bread, milk\n');
  writeFileSync(at('notes.mp4'), 'not a video, just words\n');
  symlinkSync('loop.jpg', at('loop.jpg'));
  execFileSync('mkfifo', [at('locked.jpg')]);

  writeFileSync(join(dir, 'captions.json'), `${JSON.stringify(CAPTIONS, null, 2)}\n`);
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? fileURLToPath(new URL('../tests/fixtures/bad/generated', import.meta.url)));
  await makeBadCorpus(dir);
  process.stdout.write(`bad-input corpus written to ${dir}\n`);
}
