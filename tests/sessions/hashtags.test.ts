import { describe, expect, it } from 'vitest';
import { InvalidSetting } from '../../src/errors.js';
import { parseHashtags } from '../../src/services/sessions/post.js';

describe('parseHashtags', () => {
  it('takes hashtags in scripts whose letters carry combining marks (Thai, Hindi, a decomposed é)', () => {
    expect(parseHashtags('#สวัสดี #नमस्ते #ภาษาไทย')).toEqual(['#สวัสดี', '#नमस्ते', '#ภาษาไทย']);
    expect(parseHashtags('#cafe\u0301')).toEqual(['#café']);
    expect(parseHashtags('#한국여행 東京')).toEqual(['#한국여행', '#東京']);
  });

  it('one spelling once: the composed and decomposed forms are the same tag', () => {
    expect(parseHashtags('#café #cafe\u0301')).toEqual(['#café']);
  });

  it('still refuses what is no hashtag', () => {
    for (const raw of ['#not-ok', '##double', '#', '#fyp🔥', '#\u0301']) {
      expect(() => parseHashtags(raw), raw).toThrow(InvalidSetting);
    }
  });
});
