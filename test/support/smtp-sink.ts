import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between two of them goes. */
function decodeWords(s: string): string {
  return s.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=(?:\s+(?==\?))?/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body, 'base64').toString('utf8');
  if (!/quoted-printable/i.test(encoding)) return body;
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

export interface Mail {
  messageId: string;
  deliveryId: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * An SMTP server on 127.0.0.1 that keeps every message it accepts. `refuse` may answer a
 * temporary failure (451) for a message, by its delivery id and how often that id was offered.
 */
export async function startSmtpSink(refuse: (deliveryId: string, offered: number) => boolean = () => false) {
  const accepted: Mail[] = [];
  const offered = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => {
        raw += c;
      });
      stream.on('end', () => {
        const [head, ...rest] = raw.split(/\r?\n\r?\n/);
        const header = (name: string) =>
          new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im')
            .exec(head ?? '')?.[1]
            ?.replace(/\r?\n[ \t]/g, ' ') ?? '';
        const deliveryId = header('X-Trove-Delivery-Id');
        const n = (offered.get(deliveryId) ?? 0) + 1;
        offered.set(deliveryId, n);
        if (refuse(deliveryId, n)) {
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
          return callback(err);
        }
        accepted.push({
          messageId: header('Message-ID'),
          deliveryId,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(header('Subject')),
          text: decodeBody(rest.join('\n\n'), header('Content-Transfer-Encoding')),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    /** Messages addressed to `address`. */
    to: (address: string) => accepted.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
