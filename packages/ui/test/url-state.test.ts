import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, flag, list, num, oneOf, optNum, sortList, str } from '../src/lib/url-state.ts';

const spec = {
  q: str(),
  tab: oneOf(['overview', 'charts'] as const, 'overview'),
  smooth: num(0),
  from: optNum(),
  diff: flag(),
  col: list(),
  sort: sortList([{ id: 'attributes.start_time', desc: true }]),
};

describe('URL state', () => {
  it('decodes defaults from an empty query', () => {
    expect(decodeState(spec, '')).toEqual({
      q: '',
      tab: 'overview',
      smooth: 0,
      from: null,
      diff: false,
      col: null,
      sort: [{ id: 'attributes.start_time', desc: true }],
    });
  });

  it('round-trips every field type, keys with commas and colons included', () => {
    const state = {
      q: 'loss < 0.5',
      tab: 'charts' as const,
      smooth: 0.6,
      from: 100,
      diff: true,
      col: ['metrics.a,b', 'params.x:y'],
      sort: [{ id: 'metrics.val:loss', desc: false }],
    };
    const qs = encodeState(spec, state);
    expect(decodeState(spec, `?${qs}`)).toEqual(state);
  });

  it('leaves defaults out of the URL', () => {
    expect(
      encodeState(spec, {
        q: '',
        tab: 'overview',
        smooth: 0,
        from: null,
        diff: false,
        col: null,
        sort: [{ id: 'attributes.start_time', desc: true }],
      }),
    ).toBe('');
    expect(encodeState(spec, { q: 'x' })).toBe('q=x');
  });

  it('tells an empty chosen list from "not chosen"', () => {
    const qs = encodeState(spec, { col: [] });
    expect(qs).toBe('col=');
    expect(decodeState(spec, qs).col).toEqual([]);
    expect(decodeState(spec, '').col).toBeNull();
  });

  it('falls back to defaults for values it cannot read', () => {
    const s = decodeState(spec, '?tab=nope&smooth=abc&from=&sort=x');
    expect(s.tab).toBe('overview');
    expect(s.smooth).toBe(0);
    expect(s.from).toBeNull();
    expect(s.sort).toEqual([{ id: 'x', desc: false }]);
  });
});
