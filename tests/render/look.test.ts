import { describe, expect, it } from 'vitest';
import { InvalidSetting } from '../../src/errors.js';
import { checkLookValue, LOOK_FIELD_NAMES, lookField, parseStoredLook, resolveLook, type LookInput } from '../../src/services/render/look.js';

const ref = { source_file_id: '6f1c0a52-3b1e-4a57-9d55-0c8c1b7f2a10', sha256: 'a'.repeat(64), name: 'song.m4a' };

describe('the look: flags > session > config > built-in', () => {
  const table: Array<{ flags?: LookInput; session?: LookInput; config?: LookInput; style: string; from: string }> = [
    { style: 'outline', from: 'default' },
    { config: { style: 'shadow' }, style: 'shadow', from: 'config' },
    { session: { style: 'box' }, config: { style: 'shadow' }, style: 'box', from: 'session' },
    { flags: { style: 'translucent' }, session: { style: 'box' }, config: { style: 'shadow' }, style: 'translucent', from: 'flag' },
    { flags: { style: 'outline' }, style: 'outline', from: 'flag' },
  ];
  it.each(table)('style $style from $from', ({ flags, session, config, style, from }) => {
    const { look, from: sources } = resolveLook({ flags, session: session as never, config });
    expect(look.style).toBe(style);
    expect(sources.style).toBe(from);
  });

  it('each field is decided on its own; fields without a default stay unset', () => {
    const { look, from } = resolveLook({ flags: { slideDuration: 1 }, session: { boxColor: '#00ff00', audio: ref, slideDuration: 5 }, config: { preset: '1:1' } });
    expect(look).toMatchObject({ slideDuration: 1, boxColor: '#00ff00', audio: ref, preset: '1:1', fit: 'cover', beats: false });
    expect(from).toMatchObject({ slideDuration: 'flag', boxColor: 'session', audio: 'session', preset: 'config', fit: 'default' });
    expect(look.textColor).toBeUndefined();
    expect(from.textColor).toBeUndefined();
  });

  it('every field has a check that refuses a wrong type, naming the field', () => {
    for (const field of LOOK_FIELD_NAMES) {
      const error = (() => {
        try {
          checkLookValue(field, Symbol.for('nope'));
        } catch (e) {
          return e;
        }
      })();
      expect(error, field).toBeInstanceOf(InvalidSetting);
      expect((error as InvalidSetting).field).toBe(field);
      if (lookField(field).builtIn !== undefined) expect(checkLookValue(field, lookField(field).builtIn)).toEqual(lookField(field).builtIn);
    }
  });

  it('a stored look is read field by field; lenient reading leaves out what this version does not take', () => {
    expect(parseStoredLook('s', { style: 'box', holdRange: { min: 1, max: 2 }, audio: ref }).look).toEqual({ style: 'box', holdRange: { min: 1, max: 2 }, audio: ref });
    expect(parseStoredLook('s', { style: 'neon', glow: 1, fit: 'contain' }, 'lenient')).toEqual({ look: { fit: 'contain' }, dropped: ['style', 'glow'] });
    expect(() => parseStoredLook('s', { audio: { ...ref, sha256: 'short' } })).toThrow(InvalidSetting);
  });
});
