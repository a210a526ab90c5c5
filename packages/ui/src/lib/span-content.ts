/**
 * What the trace page reads out of a span's data (pure): a conversation where the span follows
 * the GenAI conventions, and the exceptions its events record.
 */

export interface ChatMessage {
  role: string;
  content: string;
}

export interface SpanException {
  type: string;
  message: string;
  stacktrace: string;
}

export interface SpanData {
  inputs: unknown;
  outputs: unknown;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON text is read as JSON (OTel attributes often carry messages as a string). */
function decoded(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!t.startsWith('[') && !t.startsWith('{')) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

/** Message content: a string, or parts (`{type: 'text', text}`, `{content}`), or anything else as JSON. */
function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (c === null || c === undefined) return '';
  if (Array.isArray(c))
    return c
      .map((p) => (typeof p === 'string' ? p : isObject(p) ? String(p.text ?? p.content ?? JSON.stringify(p)) : ''))
      .join('\n');
  return JSON.stringify(c, null, 2);
}

function asMessage(m: unknown): ChatMessage | null {
  if (!isObject(m)) return null;
  const role = typeof m.role === 'string' ? m.role : typeof m.type === 'string' ? m.type : null;
  if (role === null) return null;
  let content = contentText(m.content ?? m.parts);
  if (content === '' && Array.isArray(m.tool_calls))
    content = m.tool_calls.map((t) => (isObject(t) ? JSON.stringify(t.function ?? t) : '')).join('\n');
  return { role, content };
}

function messageList(v: unknown): ChatMessage[] | null {
  const d = decoded(v);
  if (!Array.isArray(d) || d.length === 0) return null;
  const out = d.map(asMessage);
  return out.every((m): m is ChatMessage => m !== null) ? out : null;
}

/** OpenLLMetry's flattened form: `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`, … */
function indexedMessages(attributes: Obj, prefix: string): ChatMessage[] | null {
  const out: ChatMessage[] = [];
  for (let i = 0; `${prefix}.${i}.content` in attributes || `${prefix}.${i}.role` in attributes; i++)
    out.push({
      role: String(attributes[`${prefix}.${i}.role`] ?? 'user'),
      content: contentText(decoded(attributes[`${prefix}.${i}.content`])),
    });
  return out.length > 0 ? out : null;
}

/** A reply in the span's outputs: OpenAI's `choices[].message`, a message, a list of them, or `content`. */
function replyOf(outputs: unknown): ChatMessage[] | null {
  const o = decoded(outputs);
  if (isObject(o) && Array.isArray(o.choices)) {
    const msgs = o.choices.map((c) => (isObject(c) ? asMessage(c.message) : null)).filter((m) => m !== null);
    return msgs.length > 0 ? msgs : null;
  }
  const single = asMessage(o);
  if (single) return [single];
  if (isObject(o) && Array.isArray(o.messages)) return messageList(o.messages);
  return messageList(o);
}

/** Plain text (one message from `role`), or messages as JSON. */
function textOrMessages(v: unknown, role: string): ChatMessage[] | null {
  if (v === undefined || v === null) return null;
  const d = decoded(v);
  if (typeof d === 'string') return [{ role, content: d }];
  return messageList(d) ?? replyOf(d);
}

/**
 * The span as a conversation, or null when it is not one. Sources, first that applies:
 * MLflow's `mlflow.chat.messages` attribute; `gen_ai.prompt`/`gen_ai.completion` (JSON or
 * OpenLLMetry's indexed attributes) and `gen_ai.input.messages`/`gen_ai.output.messages`;
 * `messages` in the inputs, with the reply from the outputs.
 */
export function chatMessages(span: SpanData): ChatMessage[] | null {
  const a = span.attributes;
  const mlflowChat = messageList(a['mlflow.chat.messages']);
  if (mlflowChat) return mlflowChat;
  const prompt =
    messageList(a['gen_ai.input.messages']) ??
    textOrMessages(a['gen_ai.prompt'], 'user') ??
    indexedMessages(a, 'gen_ai.prompt');
  if (prompt) {
    const reply =
      messageList(a['gen_ai.output.messages']) ??
      textOrMessages(a['gen_ai.completion'], 'assistant') ??
      indexedMessages(a, 'gen_ai.completion') ??
      [];
    return [...prompt, ...reply];
  }
  const inputs = decoded(span.inputs);
  const asked = isObject(inputs) ? messageList(inputs.messages) : null;
  if (!asked) return null;
  return [...asked, ...(replyOf(span.outputs) ?? [])];
}

/** The span's `exception` events (OTel's convention, MLflow records raised errors so). */
export function spanExceptions(span: SpanData): SpanException[] {
  return span.events
    .filter((e) => e.name === 'exception')
    .map((e) => ({
      type: String(e.attributes['exception.type'] ?? ''),
      message: String(e.attributes['exception.message'] ?? ''),
      stacktrace: String(e.attributes['exception.stacktrace'] ?? ''),
    }));
}
