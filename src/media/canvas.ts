/** Canvas presets and TikTok's safe zone: pure data, shared by slides and video. */

export type PresetName = '9:16' | '4:5' | '1:1';
export const PRESET_NAMES: readonly PresetName[] = ['9:16', '4:5', '1:1'];

export interface Canvas {
  width: number;
  height: number;
}

export const PRESETS: Record<PresetName, Canvas> = {
  '9:16': { width: 1080, height: 1920 },
  '4:5': { width: 1080, height: 1350 },
  '1:1': { width: 1080, height: 1080 },
};

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Margins TikTok's own UI covers on a 1080x1920 frame (DESIGN §6). */
const SAFE_MARGINS_9_16 = { top: 220, bottom: 420, left: 64, right: 140 };

/**
 * Where text may go: the 9:16 margins, with the vertical ones scaled to the canvas height
 * (TikTok letterboxes shorter posts inside the same UI) and the horizontal ones to its width.
 */
export function safeZone(canvas: Canvas): Box {
  const sx = canvas.width / 1080;
  const sy = canvas.height / 1920;
  const left = Math.round(SAFE_MARGINS_9_16.left * sx);
  const right = Math.round(SAFE_MARGINS_9_16.right * sx);
  const top = Math.round(SAFE_MARGINS_9_16.top * sy);
  const bottom = Math.round(SAFE_MARGINS_9_16.bottom * sy);
  return { left, top, width: canvas.width - left - right, height: canvas.height - top - bottom };
}
