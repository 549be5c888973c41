/**
 * The look of a slide group, defined once: every field `render` takes, its schema as a session
 * stores it (media_sessions.render_settings, 0007) and its built-in default. Flags, a session's
 * settings and the config's defaults are layers over it (resolveLook). A new field is one line in
 * LOOK_FIELDS (and its flag's name in src/cli/settingFlags.ts when it is not the field's kebab-case).
 */
import { PRESET_NAMES, type PresetName } from '../../media/canvas.js';
import { parseHoldRange, type HoldRange } from '../../media/beats/cuts.js';
import {
  CAPTION_ALIGNS,
  CAPTION_POSITIONS,
  CAPTION_STYLES,
  cssColor,
  parseCaptionSize,
  type CaptionAlign,
  type CaptionPosition,
  type CaptionSize,
  type CaptionStyle,
} from '../../media/caption/look.js';
import { FIT_MODES, type FitMode } from '../../media/fit.js';
import { TRANSITION_NAMES, type MotionName, type TransitionName } from '../../media/timeline.js';
import { InvalidSetting, StoredSettingInvalid, messageOf } from '../../errors.js';

/** A music or font file of the project as a session keeps it: its Sources row, its bytes' hash, its name. */
export interface AssetRef {
  source_file_id: string;
  sha256: string;
  name: string;
}

/** An asset as a command gives it: a file on this machine, or one of the project's. */
export type AssetChoice = { path: string } | AssetRef;

/**
 * A field's schema: plain checks rather than a schema library, since `render`'s flags are built
 * from this table when the CLI starts and command modules stay light to import.
 */
type Check<T> = (value: unknown) => { value: T } | { problem: string; hint?: string };

interface FieldSpec<T = unknown> {
  check: Check<T>;
  /** What the field does, for help texts. */
  about: string;
  /** The values it takes, when it is a choice. */
  choices?: readonly string[];
  /** How a flag's text becomes the value (default: the text). */
  fromFlag?: (raw: string) => unknown;
  /** A flag without a value: given means true. */
  switch?: boolean;
  builtIn?: T;
  asset?: 'audio' | 'font';
}

const oneOf = <T extends string>(values: readonly T[]): Check<T> => (v) =>
  typeof v === 'string' && (values as readonly string[]).includes(v) ? { value: v as T } : { problem: 'not one of the choices' };
const number = (min: number, inclusive: boolean): Check<number> => (v) =>
  typeof v === 'number' && Number.isFinite(v) && (inclusive ? v >= min : v > min)
    ? { value: v }
    : { problem: `expected a number of seconds ${inclusive ? `${min} or more` : `above ${min}`}` };
const color = (field: 'textColor' | 'boxColor'): Check<string> =>
  thrown((v) => {
    if (typeof v !== 'string') throw new Error('not a colour');
    cssColor(v, field);
    return v;
  });
const SHA256 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const assetRef: Check<AssetRef> = (v) => {
  const r = v as Partial<AssetRef> | null;
  const ok =
    typeof r === 'object' && r !== null && Object.keys(r).length === 3 &&
    typeof r.source_file_id === 'string' && UUID.test(r.source_file_id) &&
    typeof r.sha256 === 'string' && SHA256.test(r.sha256) && typeof r.name === 'string';
  return ok ? { value: r as AssetRef } : { problem: 'not a file of the project ({source_file_id, sha256, name})' };
};

const choice = <T extends string>(values: readonly T[], builtIn: T, about: string): FieldSpec<T> & { builtIn: T } => ({ check: oneOf(values), choices: values, builtIn, about });
// Text that is no number stays the text, so the refusal quotes what was typed.
const numberOf = (raw: string): number | string => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw);
const seconds = (builtIn: number, about: string, min: 'above 0' | '0 or more' = 'above 0'): FieldSpec<number> & { builtIn: number } => ({
  check: number(0, min === '0 or more'),
  fromFlag: numberOf,
  builtIn,
  about,
});
const colour = (field: 'textColor' | 'boxColor', about: string): FieldSpec<string> => ({ check: color(field), about });
const thrown = <T>(parse: (v: unknown) => T): Check<T> => (v) => {
  try {
    return { value: parse(v) };
  } catch (error) {
    return error instanceof InvalidSetting ? { problem: error.problem, hint: error.hint } : { problem: messageOf(error) };
  }
};
const captionSize: FieldSpec<CaptionSize> & { builtIn: CaptionSize } = {
  check: thrown((v) => {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error('not a caption size');
    return parseCaptionSize(String(v));
  }),
  fromFlag: (raw) => raw,
  builtIn: 'm',
  about: "s, m (TikTok's size), l, or pixels at 1080 wide; shrunk to fit",
};
const holdRangeOf = (v: unknown): HoldRange | null => {
  const r = v as Partial<HoldRange> | null;
  if (typeof r !== 'object' || r === null || Object.keys(r).length !== 2 || typeof r.min !== 'number' || typeof r.max !== 'number') return null;
  return Number.isFinite(r.min) && Number.isFinite(r.max) && r.min > 0 && r.max >= r.min ? { min: r.min, max: r.max } : null;
};
const holdRange: FieldSpec<HoldRange> & { builtIn: HoldRange } = {
  check: (v) => {
    const range = holdRangeOf(v);
    return range ? { value: range } : { problem: 'expected the shortest and the longest hold in seconds, above 0, shortest first (such as 1.5-4)' };
  },
  // A range the flag's text does not make stays that text, so the refusal quotes what was typed.
  fromFlag: (raw) => holdRangeOf(parseHoldRange(raw)) ?? raw,
  builtIn: { min: 1.5, max: 4 },
  about: 'on the beat: the shortest and longest a slide may hold, in seconds, such as 1.5-4',
};
const flag = (about: string): FieldSpec<boolean> & { builtIn: boolean } => ({
  check: (v) => (typeof v === 'boolean' ? { value: v } : { problem: 'expected true or false' }),
  switch: true,
  builtIn: false,
  about,
});

const asset = (kind: 'audio' | 'font', about: string): FieldSpec<AssetRef> & { asset: 'audio' | 'font' } => ({ check: assetRef, asset: kind, about });

export const LOOK_FIELDS = {
  preset: choice<PresetName>(PRESET_NAMES, '9:16', 'canvas'),
  style: choice<CaptionStyle>(CAPTION_STYLES, 'outline', 'caption look'),
  fit: choice<FitMode>(FIT_MODES, 'cover', 'cover crops, contain shows the whole photo'),
  position: choice<CaptionPosition>(CAPTION_POSITIONS, 'center', 'caption place in the safe zone'),
  align: choice<CaptionAlign>(CAPTION_ALIGNS, 'center', "caption lines against the safe zone's left or right, or centred"),
  captionSize,
  textColor: colour('textColor', 'caption colour (#rrggbb or a name such as yellow)'),
  boxColor: colour('boxColor', 'box colour for the box and translucent styles'),
  font: asset('font', 'a font file for captions (TikTok Sans fills in what it lacks)'),
  slideDuration: seconds(3, 'how long each photo holds in the video, in seconds'),
  transition: choice<TransitionName>(TRANSITION_NAMES, 'fade', 'between items in the video'),
  transitionDuration: seconds(0.5, 'how long each transition takes, in seconds', '0 or more'),
  maxClipDuration: seconds(10, 'clips are cut to this length in the video, in seconds'),
  motion: choice<MotionName>(['none', 'kenburns'], 'none', 'slow zoom and pan over photos'),
  audio: asset('audio', 'background music, looped or trimmed to the video'),
  beats: flag('change slides on the beats of the music (see slides preview-beats)'),
  holdRange,
  beatOffset: seconds(0, 'start the song this far in, such as at its hook, in seconds', '0 or more'),
};

type Fields = typeof LOOK_FIELDS;
export type LookField = keyof Fields;
export const LOOK_FIELD_NAMES = Object.keys(LOOK_FIELDS) as LookField[];
type ValueOf<K extends LookField> = Fields[K] extends FieldSpec<infer T> ? T : never;
type AssetField = { [K in LookField]: Fields[K] extends { asset: string } ? K : never }[LookField];
type DefaultedField = { [K in LookField]: Fields[K] extends { builtIn: unknown } ? K : never }[LookField];

/** The look as a session stores it: only the fields that were set. */
export type StoredLook = { [K in LookField]?: ValueOf<K> };
/** A layer of the look (flags, a session, the config): assets may be files on this machine. */
export type LookInput = { [K in LookField]?: K extends AssetField ? AssetChoice : ValueOf<K> };
/** The look as flags give it: assets are paths. */
export type LookFlags = { [K in LookField]?: K extends AssetField ? string : ValueOf<K> };
/** Every field decided: the defaulted ones always set. */
export type ResolvedLook = LookInput & Required<Pick<LookInput, DefaultedField>>;

/** A field's description (the CLI builds its flags from it). */
export function lookField(field: LookField): FieldSpec {
  return LOOK_FIELDS[field] as FieldSpec;
}

export type LookSource = 'flag' | 'session' | 'config' | 'default';

export interface LookLayers {
  flags?: LookInput;
  session?: StoredLook;
  config?: LookInput;
}

export interface ResolvedLookWithSources {
  look: ResolvedLook;
  /** Where each field that has a value came from. */
  from: Partial<Record<LookField, LookSource>>;
}

/** Precedence: this command's flags > the session's settings > the config's defaults > built-in. */
export function resolveLook(layers: LookLayers): ResolvedLookWithSources {
  const look: Record<string, unknown> = {};
  const from: Partial<Record<LookField, LookSource>> = {};
  const ordered: Array<[LookSource, LookInput | undefined]> = [
    ['flag', layers.flags],
    ['session', layers.session],
    ['config', layers.config],
  ];
  for (const field of LOOK_FIELD_NAMES) {
    const { builtIn } = lookField(field);
    const layer = ordered.find(([, values]) => values?.[field] !== undefined);
    if (layer) {
      look[field] = layer[1]?.[field];
      from[field] = layer[0];
    } else if (builtIn !== undefined) {
      look[field] = builtIn;
      from[field] = 'default';
    }
  }
  return { look: look as ResolvedLook, from };
}

/** A setting value checked against its field's schema (InvalidSetting naming the field when it does not fit). */
export function checkLookValue<K extends LookField>(field: K, value: unknown): ValueOf<K> {
  const spec = lookField(field);
  const checked = spec.check(value);
  if ('value' in checked) return checked.value as ValueOf<K>;
  throw new InvalidSetting(field, value, checked.problem, { allowed: spec.choices, hint: checked.hint });
}

/**
 * A session's stored look, each field checked. Strict (the render): a field or value this version
 * does not know is StoredSettingInvalid naming the session and the setting. Lenient (an edit, which
 * replaces them): those are left out and listed in `dropped`.
 */
export function parseStoredLook(
  sessionId: string,
  raw: Record<string, unknown>,
  mode: 'strict' | 'lenient' = 'strict',
): { look: StoredLook; dropped: string[] } {
  const look: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [field, value] of Object.entries(raw)) {
    const spec = Object.hasOwn(LOOK_FIELDS, field) ? lookField(field as LookField) : undefined;
    const checked = spec?.check(value);
    if (checked && 'value' in checked) {
      look[field] = checked.value;
      continue;
    }
    if (mode === 'lenient') {
      dropped.push(field);
      continue;
    }
    if (!spec || !checked) throw new StoredSettingInvalid(sessionId, field, value, 'not a setting this version of slides knows');
    throw new StoredSettingInvalid(sessionId, field, value, `not a value this version of slides takes (${checked.problem})`, spec.choices);
  }
  return { look: look as StoredLook, dropped };
}

/** The look layer of a command's flags: a file given for an asset is a path (made absolute by the caller). */
export function lookOfFlags(flags: LookFlags): LookInput {
  const look: Record<string, unknown> = {};
  for (const field of LOOK_FIELD_NAMES) {
    const value = flags[field];
    if (value === undefined) continue;
    look[field] = lookField(field).asset ? { path: value } : value;
  }
  return look as LookInput;
}

/** Whether a field names a file (music or a font) rather than a value. */
export function assetKind(field: LookField): 'audio' | 'font' | null {
  return lookField(field).asset ?? null;
}
