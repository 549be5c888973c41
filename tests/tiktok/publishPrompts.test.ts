/** The Content Sharing Guidelines' questions `slides publish --direct` asks on a terminal, and what it does without one. */
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { refusingPrompter, type Prompter } from '../../src/cli/prompter.js';
import { publishProgress } from '../../src/cli/publishProgress.js';
import { choicesOf, guidelinePrompts, type PublishCommandOptions } from '../../src/commands/publish.js';
import { UsageError } from '../../src/errors.js';
import type { CreatorInfo } from '../../src/tiktok/api/posting.js';
import { DEFAULT_CREATOR } from './fake/posting.js';

const creator: CreatorInfo = { ...DEFAULT_CREATOR };

/** A terminal that answers from a list and keeps every question as asked (choices and defaults included). */
function terminal(answers: unknown[]): { prompter: Prompter; asked: Record<string, unknown>[] } {
  const asked: Record<string, unknown>[] = [];
  const answer = async (kind: string, q: object) => {
    asked.push({ kind, ...q });
    if (answers.length === 0) throw new Error(`unexpected question ${JSON.stringify(q)}`);
    return answers.shift();
  };
  return {
    asked,
    prompter: {
      confirm: (q) => answer('confirm', q) as Promise<boolean>,
      input: (q) => answer('input', q) as Promise<string>,
      secret: (q) => answer('secret', q) as Promise<string>,
      select: (q) => answer('select', q) as Promise<never>,
      checkbox: (q) => answer('checkbox', q) as Promise<never>,
    },
  };
}

const flags = (o: Partial<PublishCommandOptions> = {}): PublishCommandOptions => ({ as: 'video', ...o });

describe('slides publish --direct: the guidelines on a terminal', () => {
  it('offers the account’s privacy levels with none chosen, the title prefilled from the post text, then asks for consent', async () => {
    const { io, output } = bufferIO({ canPrompt: true });
    const t = terminal(['MUTUAL_FOLLOW_FRIENDS', 'Trail day 3 #hike', true]);
    const o = flags({ allowComments: true });
    const choices = await guidelinePrompts({ io, prompter: t.prompter }, o, choicesOf(o, undefined))(creator, 'video', 'Trail day 3');
    expect(t.asked[0]).toMatchObject({ kind: 'select', flag: '--privacy', choices: creator.privacy_level_options.map((p) => ({ name: p, value: p })) });
    expect(t.asked[0]).not.toHaveProperty('default');
    expect(t.asked[1]).toMatchObject({ kind: 'input', flag: '--title', default: 'Trail day 3' });
    expect(t.asked[2]).toMatchObject({ kind: 'confirm', flag: '--yes', default: false, message: "By posting, you agree to TikTok's Music Usage Confirmation. Post now?" });
    expect(choices).toMatchObject({ privacy: 'MUTUAL_FOLLOW_FRIENDS', title: 'Trail day 3 #hike', allowComments: true, allowDuet: false, allowStitch: false });
    expect(output.stderr).toContain('TikTok takes a few minutes to process a post');
  });

  it('branded content: no private level is offered and the Branded Content Policy joins the consent', async () => {
    const { io } = bufferIO({ canPrompt: true });
    const t = terminal(['PUBLIC_TO_EVERYONE', true]);
    const o = flags({ brandedContent: true, title: 'Partner post' });
    await guidelinePrompts({ io, prompter: t.prompter }, o, choicesOf(o, undefined))(creator, 'video', null);
    expect((t.asked[0]?.choices as { value: string }[]).map((c) => c.value)).toEqual(['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS']);
    expect(t.asked[1]?.message).toBe("By posting, you agree to TikTok's Branded Content Policy and Music Usage Confirmation. Post now?");
  });

  it('declining the consent posts nothing (exit 2); without a terminal the missing privacy is left to the service to refuse and --yes is needed', async () => {
    const { io } = bufferIO({ canPrompt: true });
    const declined = await guidelinePrompts({ io, prompter: terminal(['SELF_ONLY', '', false]).prompter }, flags(), choicesOf(flags(), undefined))(creator, 'photos', null).catch(
      (e: unknown) => e,
    );
    expect(declined).toBeInstanceOf(UsageError);
    expect((declined as UsageError).message).toBe('nothing was posted: you did not agree to post');

    const piped = bufferIO({ canPrompt: false }).io;
    expect(await guidelinePrompts({ io: piped, prompter: refusingPrompter }, flags(), choicesOf(flags(), undefined))(creator, 'video', null)).toMatchObject({ privacy: undefined });
    const noYes = await guidelinePrompts({ io: piped, prompter: refusingPrompter }, flags({ privacy: 'SELF_ONLY' }), choicesOf(flags(), 'SELF_ONLY'))(creator, 'video', null).catch(
      (e: unknown) => e,
    );
    expect((noYes as UsageError).hint).toBe('pass --yes');
    const yes = await guidelinePrompts({ io: piped, prompter: refusingPrompter }, flags({ yes: true }), choicesOf(flags(), 'SELF_ONLY'))(creator, 'video', 'text');
    expect(yes).toMatchObject({ privacy: 'SELF_ONLY', title: undefined });
  });
});

describe('publish progress', () => {
  it('the creator’s nickname as creator_info arrives; on a terminal one status line through the upload and the status checks; waits as lines everywhere', () => {
    const drawn: string[] = [];
    const { io, output } = bufferIO({
      isTTY: true,
      spinner: (text) => {
        drawn.push(text);
        return { update: (t) => void drawn.push(t), succeed: () => undefined, fail: () => void drawn.push('(failed)'), stop: () => void drawn.push('(stopped)') };
      },
    });
    const progress = publishProgress(io);
    progress.onEvent({ type: 'creator', creator });
    progress.onEvent({ type: 'chunk', index: 0, count: 2, bytes: 5 * 1024 * 1024, total: 11 * 1024 * 1024 });
    progress.onEvent({ type: 'wait', wait: { reason: 'rate-limited', path: '/v2/post/publish/status/fetch/', ms: 7000 } });
    progress.onEvent({ type: 'status', status: { status: 'PROCESSING_UPLOAD' } });
    progress.stop(true);
    expect(drawn).toEqual(['Uploading to TikTok: 5.0 of 11.0 MB sent (chunk 1/2)', 'TikTok: processing upload', '(stopped)']);
    expect(output.stderr).toBe('Posting to TikTok as Sunny Slides (@sunny.slides)\nTikTok asked slides to slow down; trying again in 7 s\n');
  });
});
