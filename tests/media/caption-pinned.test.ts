import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PRESETS, type PresetName } from '../../src/media/canvas.js';
import type { CaptionPosition, CaptionStyle } from '../../src/media/caption/look.js';
import { renderCaptionOverlay } from '../../src/media/caption/overlay.js';

/**
 * The outline and shadow looks as they were drawn before the text looks (merged box, alignment,
 * sizes) came in, pinned by a hash of every RGBA pixel of the caption overlay: a change to the
 * shared layout or drawing code that moves a single pixel of them fails here.
 */
const PINNED: { style: CaptionStyle; position: CaptionPosition; preset: PresetName; text: string; sha: string }[] = [
  { style: 'outline', position: 'center', preset: '9:16', text: 'POV: you finally found the sunset spot everyone gatekeeps ✨🇵🇹', sha: '3693473c896cfa84' },
  { style: 'outline', position: 'bottom', preset: '4:5', text: 'Ça coûte 5 € • Привет • Γειά σου', sha: 'b94b5d0b803b21d0' },
  { style: 'outline', position: 'top', preset: '1:1', text: 'مرحبا بكم في دبي، سلام', sha: 'b4433642ec4e4292' },
  { style: 'shadow', position: 'top', preset: '9:16', text: '5 things nobody tells you about Portugal 👇', sha: '632ad83e9285ceec' },
  {
    style: 'shadow',
    position: 'center',
    preset: '9:16',
    text: 'day one\nin Lisbon, the hills are brutal and the pastéis de nata are worth every calorie',
    sha: '74e491fa285b9b63',
  },
];

describe('outline and shadow stay pixel-identical', () => {
  it.each(PINNED)('$style at $position on $preset: "$text"', async ({ style, position, preset, text, sha }) => {
    const { png, warnings } = await renderCaptionOverlay(text, { canvas: PRESETS[preset], style, position });
    expect(warnings).toEqual([]);
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(createHash('sha256').update(data).digest('hex').slice(0, 16)).toBe(sha);
  });
});
