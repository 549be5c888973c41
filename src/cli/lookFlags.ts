import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { ResolvedConfig } from '../config.js';
import { LOOK_FIELD_NAMES, lookField, lookOfFlags, type LookFlags, type LookInput } from '../services/render/look.js';
import { parseHashtags, PRIVACY_LEVELS, PUBLISH_MODES, type PostSettings } from '../services/sessions/post.js';
import { flagOf } from './settingFlags.js';

/** Every field of the look as a flag (src/services/render/look.ts): `render`, `session new` and `session edit` take the same. */
export function addLookOptions(command: Command): Command {
  for (const field of LOOK_FIELD_NAMES) {
    const spec = lookField(field);
    const shown = spec.builtIn === undefined || typeof spec.builtIn === 'object' ? '' : ` (default ${String(spec.builtIn)})`;
    const value = spec.switch ? '' : ` <${spec.asset ? 'file' : 'value'}>`;
    const option = new Option(`${flagOf(field)}${value}`, `${spec.about}${spec.switch ? '' : shown}`);
    if (spec.choices) option.choices(spec.choices);
    if (spec.fromFlag) option.argParser(spec.fromFlag);
    command.addOption(option);
    if (spec.switch) command.option(`--no-${flagOf(field).slice(2)}`, 'turn it off (over a session or its default)');
  }
  return command;
}

/** The look's fields of parsed flags, files made absolute. */
export function lookFlagValues(flags: LookFlags): LookFlags {
  const look: Record<string, unknown> = {};
  for (const field of LOOK_FIELD_NAMES) {
    const value = flags[field];
    if (value !== undefined) look[field] = lookField(field).asset && typeof value === 'string' ? resolve(value) : value;
  }
  return look as LookFlags;
}

/** The look layer of parsed flags, files made absolute. */
export function lookFlags(flags: LookFlags): LookInput {
  return lookOfFlags(lookFlagValues(flags));
}

/** The profile's defaults for the look (slides config set render.preset …). */
export function configLook(config: Pick<ResolvedConfig, 'get'>): LookInput {
  const look: LookInput = {};
  const preset = config.get('render.preset');
  const style = config.get('render.style');
  if (preset !== undefined) look.preset = preset;
  if (style !== undefined) look.style = style;
  return look;
}

export interface PostFlags {
  postCaption?: string;
  hashtags?: string;
  publish?: PostSettings['publish'];
  privacy?: PostSettings['privacy'];
  allowComments?: boolean;
  allowDuet?: boolean;
  allowStitch?: boolean;
}

/** The post's text and how `publish` sends it, stored with the session. */
export function addPostOptions(command: Command): Command {
  command
    .option(`${flagOf('postCaption')} <text>`, 'the post\'s text: {n} group number, {total} slides, {date}; " | " between alternatives ("" for none)')
    .option(`${flagOf('hashtags')} <tags>`, 'hashtags for the post, such as "#travel #lisbon" ("" for none)')
    .addOption(new Option(`${flagOf('publish')} <mode>`, 'draft: to your TikTok inbox; direct: posted').choices(PUBLISH_MODES))
    .addOption(new Option(`${flagOf('privacy')} <level>`, 'who sees a direct post (TikTok has no default)').choices(PRIVACY_LEVELS));
  const toggles = { allowComments: 'comment', allowDuet: 'duet with', allowStitch: 'stitch' } as const;
  for (const [field, what] of Object.entries(toggles)) {
    const flag = flagOf(field);
    command.option(flag, `let viewers ${what} the post (off unless set)`).option(`--no-${flag.slice(2)}`, 'turn it off again');
  }
  return command;
}

export function postFlags(flags: PostFlags): PostSettings {
  const post: PostSettings = {
    postCaption: flags.postCaption,
    hashtags: flags.hashtags === undefined ? undefined : parseHashtags(flags.hashtags),
    publish: flags.publish,
    privacy: flags.privacy,
    allowComments: flags.allowComments,
    allowDuet: flags.allowDuet,
    allowStitch: flags.allowStitch,
  };
  return Object.fromEntries(Object.entries(post).filter(([, v]) => v !== undefined)) as PostSettings;
}
