import sharp from 'sharp';

/** A photo-like test scene (sky gradient, sun, hills, sea) so crops and captions have something to sit on. */
export function sceneSvg(width: number, height: number): Buffer {
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 1600 1200" preserveAspectRatio="none">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2b2d6e"/><stop offset="0.45" stop-color="#e9637a"/><stop offset="0.7" stop-color="#ffc36b"/></linearGradient></defs>
<rect width="1600" height="1200" fill="url(#sky)"/><circle cx="980" cy="700" r="150" fill="#ffd27a"/>
<path d="M0 720 L220 520 L420 680 L640 460 L880 720 Z" fill="#3b2a4f"/><rect y="740" width="1600" height="460" fill="#1c3557"/></svg>`);
}

export async function writeScene(path: string, width = 1600, height = 1200): Promise<void> {
  await sharp(sceneSvg(width, height)).jpeg({ quality: 92 }).toFile(path);
}

/** 90x60 PNG, one flat colour per quadrant: red, green / blue, white. Easy to check which way is up. */
export function quadrants(): Promise<Buffer> {
  const half = (background: string, left: number, top: number) => ({
    input: { create: { width: 45, height: 30, channels: 3 as const, background } },
    left,
    top,
  });
  return sharp({ create: { width: 90, height: 60, channels: 3, background: '#000' } }).composite([
    half('#ff0000', 0, 0),
    half('#00ff00', 45, 0),
    half('#0000ff', 0, 30),
    half('#ffffff', 45, 30),
  ]).png().toBuffer();
}

export async function rgbAt(path: string, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1];
}
