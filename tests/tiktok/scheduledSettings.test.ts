import { describe, expect, it } from 'vitest';
import { scheduledSettings } from '../../src/services/publish/wanted.js';

describe('how run --due --publish publishes: flags > session > config > a draft with toggles off', () => {
  it.each([
    ['nothing set', {}, {}, {}, { mode: 'draft', privacy: undefined, allowComments: false, allowDuet: false, allowStitch: false }],
    ['config only', {}, {}, { mode: 'direct', privacy: 'SELF_ONLY' }, { mode: 'direct', privacy: 'SELF_ONLY', allowComments: false }],
    ['the session over the config', {}, { publish: 'draft', privacy: 'MUTUAL_FOLLOW_FRIENDS', allowComments: true }, { mode: 'direct', privacy: 'SELF_ONLY' }, { mode: 'draft', privacy: 'MUTUAL_FOLLOW_FRIENDS', allowComments: true }],
    ['flags over the session', { mode: 'direct', privacy: 'SELF_ONLY', allowStitch: true }, { publish: 'draft', privacy: 'PUBLIC_TO_EVERYONE', allowStitch: false }, {}, { mode: 'direct', privacy: 'SELF_ONLY', allowStitch: true }],
    ['a flag left out leaves the session’s', { mode: 'direct' }, { allowDuet: true, privacy: 'SELF_ONLY' }, {}, { mode: 'direct', privacy: 'SELF_ONLY', allowDuet: true }],
  ] as const)('%s', (_name, flags, session, config, expected) => {
    expect(scheduledSettings(flags, session, config)).toMatchObject(expected);
  });
});
