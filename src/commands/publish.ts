import { Option } from 'commander';
import type { Register } from '../cli/command.js';
import type { Context } from '../context.js';
import type { PostKind, PostMode } from '../db/types.js';
import { UsageError } from '../errors.js';
import type { PublishResult } from '../services/publish/publishGroup.js';
import type { CreatorInfo } from '../tiktok/api/posting.js';
import type { PostChoices } from '../tiktok/publish/guidelines.js';

export interface PublishCommandOptions {
  group?: string;
  as: PostKind;
  mode?: PostMode;
  direct?: boolean;
  privacy?: string;
  title?: string;
  allowComments?: boolean;
  allowDuet?: boolean;
  allowStitch?: boolean;
  brandOrganic?: boolean;
  brandedContent?: boolean;
  autoMusic?: boolean;
  yes?: boolean;
  again?: boolean;
}

export const register: Register = (parent, run) => {
  parent
    .command('publish')
    .description('send a finished slide group to TikTok: to your inbox as a draft (default) or posted directly')
    .argument('[group]', 'group number in the active session, or a group id (8 characters are enough); default: the newest unpublished one')
    .option('--group <group>', 'the same as the [group] argument')
    .addOption(new Option('--as <kind>', 'send the video, or the slides as a photo post').choices(['video', 'photos']).default('video'))
    .addOption(new Option('--mode <mode>', 'draft: to your TikTok inbox; direct: posted (default: setting publish.mode, else draft)').choices(['draft', 'direct']))
    .option('--direct', 'the same as --mode direct')
    .option('--privacy <level>', 'direct posts: who sees it, one of the levels TikTok offers your account (no default)')
    .option('--title <text>', "the post's title (default: the session's post text in the group's manifest)")
    .option('--allow-comments', 'direct posts: let viewers comment (off unless given)')
    .option('--allow-duet', 'direct video posts: allow duets (off unless given)')
    .option('--allow-stitch', 'direct video posts: allow stitches (off unless given)')
    .option('--brand-organic', 'direct posts: it promotes your own brand or business ("Your brand")')
    .option('--branded-content', 'direct posts: a paid partnership with a third party ("Branded content"; cannot be private)')
    .option('--auto-music', 'photo posts: TikTok adds music')
    .option('--yes', "direct posts: agree to TikTok's Music Usage Confirmation without being asked")
    .option('--again', 'publish a group that was already published (a second post)')
    .addHelpText(
      'after',
      [
        '',
        'Drafts land in your TikTok inbox: finish them in the app (that is where a trending sound is added).',
        'A direct post asks TikTok for your account first (nickname, privacy levels, what you allow), asks',
        'which privacy level to use (or take --privacy), and asks you to agree to TikTok’s Music Usage',
        'Confirmation (or take --yes). Photos need tiktok.photoUrlPrefix: an https prefix verified for your app.',
        '',
        'A group is never posted twice: publishing it again needs --again, and a run that died half-way is',
        'picked up by the next slides publish. Exits 3 when TikTok no longer accepts the account (run',
        'slides tiktok connect), 2 for a choice TikTok does not allow.',
        '',
        'Examples:',
        '  slides publish                      # newest group, video, to the inbox',
        '  slides publish 3 --as photos',
        '  slides publish --direct --privacy SELF_ONLY --allow-comments --yes',
      ].join('\n'),
    )
    .action(
      run(async (ctx, group: string | undefined, flags: PublishCommandOptions) => {
        await runPublish({ ...flags, group: group ?? flags.group }, ctx);
      }),
    );
};

/** What the flags chose, before TikTok's account rules are applied: every toggle off unless given. */
export function choicesOf(o: PublishCommandOptions, privacy: string | undefined): PostChoices {
  return {
    privacy,
    title: o.title,
    allowComments: Boolean(o.allowComments),
    allowDuet: Boolean(o.allowDuet),
    allowStitch: Boolean(o.allowStitch),
    brandOrganic: Boolean(o.brandOrganic),
    brandedContent: Boolean(o.brandedContent),
    autoMusic: Boolean(o.autoMusic),
  };
}

export function modeOf(o: Pick<PublishCommandOptions, 'mode' | 'direct'>, ctx: Pick<Context, 'config'>): PostMode {
  if (o.direct && o.mode === 'draft') throw new UsageError('--direct and --mode draft disagree', { hint: 'give one of them' });
  return o.direct ? 'direct' : (o.mode ?? ctx.config.get('publish.mode') ?? 'draft');
}

/**
 * The Content Sharing Guidelines' part that needs a person (the progress shows the creator's
 * nickname as creator_info arrives): privacy picked from the offered levels with no default, the title editable, and consent to the Music
 * Usage Confirmation asked (or given by --yes). Without a terminal the service refuses a missing
 * privacy level, listing the allowed ones.
 */
export function guidelinePrompts(ctx: Pick<Context, 'io' | 'prompter'>, o: PublishCommandOptions, base: PostChoices) {
  return async (creator: CreatorInfo, kind: PostKind, text: string | null): Promise<PostChoices> => {
    const { consentLine, privacyChoices, LIMITS } = await import('../tiktok/publish/guidelines.js');
    const { io, prompter } = ctx;
    const choices = { ...base };
    if (choices.privacy === undefined) {
      if (!io.canPrompt) return choices;
      choices.privacy = await prompter.select({
        message: 'Who can see this post?',
        flag: '--privacy',
        choices: privacyChoices(creator, choices.brandedContent).map((level) => ({ name: level, value: level })),
      });
    }
    if (o.title === undefined && !o.yes && io.canPrompt) {
      const max = kind === 'photos' ? LIMITS.photoTitle : LIMITS.videoTitle;
      const title = await prompter.input({
        message: 'Title',
        flag: '--title',
        default: (text ?? '').slice(0, max),
        validate: (v) => v.length <= max || `at most ${max} characters`,
      });
      choices.title = title.trim() === '' ? undefined : title;
    }
    const consent = consentLine(choices);
    if (o.yes) io.info(consent);
    else if (!(await prompter.confirm({ message: `${consent} Post now?`, flag: '--yes', default: false }))) {
      throw new UsageError('nothing was posted: you did not agree to post', { hint: 'run slides publish again when you are ready' });
    }
    io.info('TikTok takes a few minutes to process a post; slides checks its status until it is done.');
    return choices;
  };
}

export async function runPublish(o: PublishCommandOptions, ctx: Context): Promise<PublishResult> {
  const { publishGroup } = await import('../services/publish/publishGroup.js');
  const { AlreadyPublished } = await import('../services/publish/findGroup.js');
  const { publishing } = await import('../cli/publishing.js');
  const mode = modeOf(o, ctx);
  const privacy = o.privacy ?? (mode === 'direct' ? ctx.config.get('publish.privacy') : undefined);
  const backend = await ctx.backend();
  const { deps, stop, probeDuration } = await publishing(ctx, backend);
  let result: PublishResult;
  try {
    result = await publishGroup(
      { ...deps, decide: guidelinePrompts(ctx, o, choicesOf(o, privacy)) },
      {
        group: o.group,
        kind: o.as,
        mode,
        choices: choicesOf(o, privacy),
        again: Boolean(o.again),
        photoUrlPrefix: ctx.config.get('tiktok.photoUrlPrefix'),
        probeDuration,
      },
    );
    stop(true);
  } catch (error) {
    stop(false);
    if (error instanceof AlreadyPublished) throw new UsageError(error.message, { hint: 'pass --again to post it once more' });
    throw error;
  }
  if (ctx.io.json) ctx.io.printJson(result);
  else printResult(ctx, result);
  return result;
}

function printResult(ctx: Pick<Context, 'io'>, r: PublishResult): void {
  const { io } = ctx;
  const group = `Slide group ${r.groupNumber} (${r.groupId.slice(0, 8)})`;
  const what = r.kind === 'photos' ? 'photos' : 'video';
  switch (r.status) {
    case 'sent_to_inbox':
      io.out(io.style.bold(`${group}: ${what} sent to your TikTok inbox as a draft`));
      io.out('  open TikTok to finish it there (add a sound, edit the text) and post it');
      break;
    case 'published':
      io.out(io.style.bold(`${group}: ${what} posted to TikTok${r.creator ? ` as ${r.creator}` : ''}`));
      if (r.tiktokPostId) io.out(`  post id    ${r.tiktokPostId}`);
      break;
    default:
      io.out(io.style.bold(`${group}: TikTok is still processing the ${what}`));
      io.out('  run slides publish again later: it checks on this post and never sends it twice');
  }
  io.out(`  publish id ${r.publishId}`);
  if (r.text) io.out(`  text       ${r.text}`);
  if (r.resumed) io.out(io.style.dim('  (picked up where an earlier run stopped)'));
}
