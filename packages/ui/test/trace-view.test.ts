import { describe, expect, it } from 'vitest';
import { chatMessages, spanExceptions } from '../src/lib/span-content.ts';
import { ancestorsOf, barOf, buildSpanTree, visibleRows } from '../src/lib/span-tree.ts';

const T0 = 1_700_000_000_000_000_000n;
const span = (id: string, parent: string | null, startMs: number, endMs: number) => ({
  span_id: id,
  parent_span_id: parent,
  start_ns: String(T0 + BigInt(startMs * 1e6)),
  end_ns: String(T0 + BigInt(endMs * 1e6)),
});

describe('buildSpanTree / visibleRows', () => {
  const spans = [
    span('r', null, 0, 100),
    span('a', 'r', 10, 40),
    span('a1', 'a', 12, 20),
    span('b', 'r', 50, 90),
    span('orphan', 'missing', 60, 61),
  ];
  const tree = buildSpanTree(spans);

  it('lays spans out by parent with depths and ms offsets from the first start (exact past 2^53 ns)', () => {
    expect(tree.roots).toEqual([0, 4]);
    expect(tree.nodes.map((n) => n.depth)).toEqual([0, 1, 2, 1, 0]);
    expect(tree.nodes[2]).toMatchObject({ parent: 1, startMs: 12, durationMs: 8 });
    expect(tree.totalMs).toBe(100);
    expect(barOf(tree, tree.nodes[3])).toEqual({ left: 0.5, width: 0.4 });
  });

  it('walks depth-first in start order and skips folded subtrees', () => {
    expect(visibleRows(tree, new Set())).toEqual([0, 1, 2, 3, 4]);
    expect(visibleRows(tree, new Set([1]))).toEqual([0, 1, 3, 4]);
    expect(visibleRows(tree, new Set([0]))).toEqual([0, 4]);
    expect(ancestorsOf(tree, 2)).toEqual([1, 0]);
  });

  it('survives a parent cycle and a 10k-deep chain without recursion', () => {
    const cyc = buildSpanTree([span('x', 'y', 0, 1), span('y', 'x', 0, 1)]);
    expect(visibleRows(cyc, new Set()).sort()).toEqual([0, 1]);
    const chain = Array.from({ length: 10_000 }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`, i, i + 1));
    const deep = buildSpanTree(chain);
    expect(deep.nodes[9999].depth).toBe(9999);
    expect(visibleRows(deep, new Set())).toHaveLength(10_000);
    expect(visibleRows(deep, new Set([5]))).toHaveLength(6);
  });
});

const data = (p: Partial<Parameters<typeof chatMessages>[0]>) => ({
  inputs: null,
  outputs: null,
  attributes: {},
  events: [],
  ...p,
});

describe('chatMessages', () => {
  it('reads inputs.messages with an OpenAI reply from the outputs', () => {
    const msgs = chatMessages(
      data({
        inputs: {
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Hi' },
          ],
        },
        outputs: { choices: [{ message: { role: 'assistant', content: 'Hello!' } }] },
      }),
    );
    expect(msgs).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
    ]);
  });

  it('prefers mlflow.chat.messages, reads gen_ai prompt/completion as JSON, text or indexed attributes', () => {
    expect(chatMessages(data({ attributes: { 'mlflow.chat.messages': [{ role: 'user', content: 'q' }] } }))).toEqual([
      { role: 'user', content: 'q' },
    ]);
    expect(
      chatMessages(data({ attributes: { 'gen_ai.prompt': 'plain question', 'gen_ai.completion': 'plain answer' } })),
    ).toEqual([
      { role: 'user', content: 'plain question' },
      { role: 'assistant', content: 'plain answer' },
    ]);
    expect(
      chatMessages(
        data({
          attributes: {
            'gen_ai.prompt.0.role': 'user',
            'gen_ai.prompt.0.content': 'indexed',
            'gen_ai.completion.0.role': 'assistant',
            'gen_ai.completion.0.content': 'yes',
          },
        }),
      ),
    ).toEqual([
      { role: 'user', content: 'indexed' },
      { role: 'assistant', content: 'yes' },
    ]);
    expect(
      chatMessages(
        data({ attributes: { 'gen_ai.prompt': '[{"role":"user","content":[{"type":"text","text":"parts"}]}]' } }),
      ),
    ).toEqual([{ role: 'user', content: 'parts' }]);
  });

  it('is null for spans that are not conversations', () => {
    expect(chatMessages(data({ inputs: { question: 'x' }, outputs: 'y' }))).toBeNull();
    expect(chatMessages(data({ inputs: { messages: [1, 2] } }))).toBeNull();
  });
});

describe('spanExceptions', () => {
  it('lists exception events with type, message and stack trace', () => {
    const ex = spanExceptions(
      data({
        events: [
          { name: 'log', attributes: {} },
          {
            name: 'exception',
            attributes: { 'exception.type': 'ValueError', 'exception.message': 'bad', 'exception.stacktrace': 'tb' },
          },
        ],
      }),
    );
    expect(ex).toEqual([{ type: 'ValueError', message: 'bad', stacktrace: 'tb' }]);
  });
});
