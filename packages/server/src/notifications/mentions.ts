/** Code spans and fenced blocks, whose `@name`s are code, not mentions. */
const CODE = /```[\s\S]*?(```|$)|`[^`\n]*`/g;
/** `@name` at the start or after a non-name character (not an email address's `@`). */
const MENTION = /(^|[^A-Za-z0-9._%+-])@([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9_]|[A-Za-z0-9])/g;

/** The user names `@mentioned` in a Markdown comment, outside code, in order of first mention. */
export function mentionedNames(body: string): string[] {
  const text = body.replace(CODE, ' ');
  const names = new Set<string>();
  for (const m of text.matchAll(MENTION)) names.add(m[2] as string);
  return [...names];
}
