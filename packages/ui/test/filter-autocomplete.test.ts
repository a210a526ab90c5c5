import { describe, expect, it } from 'vitest';
import { applySuggestion, completeFilter, fieldText } from '../src/lib/filter-autocomplete.ts';

const keys = {
  metrics: ['loss', 'val loss', 'accuracy'],
  params: ['lr', 'optimizer/adam/beta1', 'optimizer/name', 'batch_size'],
  tags: ['team', 'note`s'],
};

/** Completes with the cursor at the end (or at `|` when the text holds one). */
function at(text: string) {
  const cursor = text.includes('|') ? text.indexOf('|') : text.length;
  const clean = text.replace('|', '');
  return { ...completeFilter(clean, cursor, keys), text: clean };
}
const labels = (text: string) => at(text).suggestions.map((s) => s.label);

describe('filter autocomplete', () => {
  it('offers the field prefixes on an empty box and after AND, OR and (', () => {
    for (const text of ['', 'metrics.loss < 1 AND ', 'metrics.loss < 1 or ', '(']) {
      expect(labels(text), text).toEqual(['metrics.', 'params.', 'tags.', 'attributes.', 'datasets.']);
    }
  });

  it('after `params.` suggests every param key, narrowing as the key is typed', () => {
    expect(labels('params.')).toEqual([
      'params.lr',
      'params.optimizer/adam/beta1',
      'params.optimizer/name',
      'params.batch_size',
    ]);
    expect(labels('params.opt')).toEqual(['params.optimizer/adam/beta1', 'params.optimizer/name']);
    // Starts-with first, then contains.
    expect(labels('params.b')).toEqual(['params.batch_size', 'params.optimizer/adam/beta1']);
    expect(labels('metrics.')).toEqual(['metrics.loss', 'metrics.val loss', 'metrics.accuracy']);
    expect(labels('attributes.st')).toEqual(['attributes.status', 'attributes.start_time']);
    // The prefix stays as the user spelled it.
    expect(labels('param.l')).toEqual(['param.lr']);
  });

  it('a bare word suggests matching prefixes and keys of every kind', () => {
    expect(labels('met')).toEqual(['metrics.']);
    expect(labels('beta')).toEqual(['params.optimizer/adam/beta1']);
    expect(labels('lo')).toEqual(['metrics.loss', 'metrics.val loss']);
  });

  it('inserts keys quoted when they hold characters outside the plain key set', () => {
    const c = at('metrics.val');
    const s = c.suggestions.find((x) => x.label === 'metrics.val loss')!;
    expect(s.insert).toBe('metrics.`val loss` ');
    expect(applySuggestion(c.text, c, s)).toEqual({ text: 'metrics.`val loss` ', cursor: 19 });
    expect(fieldText('tags', 'note`s')).toBe('tags.`note``s`');
    expect(fieldText('params', 'optimizer/adam/beta1')).toBe('params.optimizer/adam/beta1');
    // A key typed inside an opened backtick is completed, replacing the whole field.
    const open = at('tags.`no');
    expect(open.suggestions.map((x) => x.insert)).toEqual(['tags.`note``s` ']);
    expect(open.from).toBe(0);
  });

  it('after a field suggests the operators its type takes', () => {
    expect(labels('metrics.loss ')).toEqual(['=', '!=', '<', '<=', '>', '>=']);
    expect(labels('params.lr ')).toEqual(['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']);
    expect(labels('attributes.start_time ')).toEqual(['=', '!=', '<', '<=', '>', '>=']);
    expect(labels('tags.team LI')).toEqual(['LIKE']);
    expect(labels('metrics.loss <')).toEqual(['<', '<=']);
    expect(labels('params.`optimizer/name` ')).toContain('ILIKE');
    expect(labels('params.lr NOT ')).toEqual(['IN']);
  });

  it('after a complete comparison suggests AND, OR and a closing parenthesis when one is open', () => {
    expect(labels("params.lr = '0.1' ")).toEqual(['AND', 'OR']);
    expect(labels('(metrics.loss < 1 ')).toEqual(['AND', 'OR', ')']);
    expect(labels('(metrics.loss < 1) ')).toEqual(['AND', 'OR']);
    expect(labels("params.lr IN ('a', 'b') o")).toEqual(['OR']);
  });

  it('suggests status values after attributes.status and nothing inside other values', () => {
    expect(labels('attributes.status = ')).toEqual(["'RUNNING'", "'SCHEDULED'", "'FINISHED'", "'FAILED'", "'KILLED'"]);
    expect(labels("attributes.status = 'F")).toEqual(["'FINISHED'", "'FAILED'"]);
    expect(labels("params.lr = 'ab")).toEqual([]);
    expect(labels('metrics.loss < 0.5')).toEqual([]);
    expect(labels("params.lr IN ('a', ")).toEqual([]);
  });

  it('completes at the cursor, leaving the text after it alone', () => {
    const c = at("params.op| = 'adam'");
    const s = c.suggestions[0];
    expect(s.label).toBe('params.optimizer/adam/beta1');
    const applied = applySuggestion(c.text, c, s);
    expect(applied.text).toBe("params.optimizer/adam/beta1  = 'adam'");
    expect(applied.cursor).toBe('params.optimizer/adam/beta1 '.length);
  });

  it('never throws on odd input', () => {
    for (const text of [
      '`',
      "'",
      '(((',
      ')))',
      '== ==',
      'params.',
      'a.b.c.',
      '!!!',
      'metrics.loss < <',
      'NOT NOT',
      'params."x',
    ]) {
      expect(() => completeFilter(text, text.length, keys), text).not.toThrow();
    }
  });
});
