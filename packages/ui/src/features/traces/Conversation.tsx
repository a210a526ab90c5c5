import type { ChatMessage } from '../../lib/span-content.ts';

/** Chat messages as a conversation: one bubble per message, by role. */
export function Conversation({ messages }: { messages: ChatMessage[] }) {
  return (
    <ol className="conversation" aria-label="Conversation">
      {messages.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: messages are positional
        <li key={i} className={`chat-message chat-${m.role.toLowerCase().replace(/[^a-z]/g, '') || 'other'}`}>
          <div className="chat-role">{m.role}</div>
          <div className="chat-content">{m.content}</div>
        </li>
      ))}
    </ol>
  );
}
