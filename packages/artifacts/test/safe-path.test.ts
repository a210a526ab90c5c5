import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinKey, resolveUnderRoot, safeArtifactPath } from '../src/index.ts';

const rejectsAsInvalid = (fn: () => unknown) => {
  expect(fn).toThrow(/^Invalid path/);
  try {
    fn();
  } catch (e) {
    expect((e as { code: string }).code).toBe('INVALID_PARAMETER_VALUE');
  }
};

describe('safeArtifactPath: hostile raw (percent-encoded) input', () => {
  const hostile: [string, string][] = [
    ['parent segment', '../etc/passwd'],
    ['parent in the middle', 'a/../../b'],
    ['trailing parent', 'a/b/..'],
    ['encoded slash after dots', '..%2fetc%2fpasswd'],
    ['encoded slash, upper case', '..%2Fsecret'],
    ['encoded dots', '%2e%2e/etc/passwd'],
    ['encoded dots, mixed case', '%2E%2e'],
    ['absolute POSIX', '/etc/passwd'],
    ['encoded absolute', '%2Fetc%2Fpasswd'],
    ['windows drive', 'C:\\x'],
    ['windows drive, forward slash', 'C:/Windows/win.ini'],
    ['drive-relative', 'c:secret'],
    ['UNC', '\\\\server\\share'],
    ['backslash traversal', 'a\\..\\b'],
    ['encoded backslash', 'a%5c..%5cb'],
    ['hash', 'a#b'],
    ['encoded hash', 'a%23b'],
    ['semicolon', 'a;b'],
    ['encoded semicolon', 'a%3Bb'],
    ['NUL', 'a\u0000b'],
    ['encoded NUL', 'file.txt%00.png'],
    ['newline', 'a%0Ab'],
    ['DEL', 'a%7Fb'],
    ['C1 control', 'a%C2%85b'],
    ['bidi override', 'evil%E2%80%AEtxt.exe'],
    ['malformed escape', 'a%zzb'],
    ['truncated escape', 'a%2'],
    ['invalid UTF-8', 'a%C0%AEb'],
    ['fullwidth dots (NFKC ..)', '%EF%BC%8E%EF%BC%8E/etc'],
    ['fullwidth solidus', '..%EF%BC%8Fetc'],
    ['fullwidth reverse solidus', 'a%EF%BC%BCb'],
    ['dots with trailing space (Windows ..)', '.. /x'],
    ['triple dot', '.../x'],
    ['overlong segment', 'a'.repeat(256)],
    ['overlong path', Array.from({ length: 20 }, () => 'b'.repeat(200)).join('/')],
  ];
  it.each(hostile)('rejects %s: %j', (_label, input) => {
    rejectsAsInvalid(() => safeArtifactPath(input));
  });

  it('rejects the empty path unless asked to allow it', () => {
    rejectsAsInvalid(() => safeArtifactPath(''));
    rejectsAsInvalid(() => safeArtifactPath('./'));
    expect(safeArtifactPath('', { allowEmpty: true })).toBe('');
    expect(safeArtifactPath('./', { allowEmpty: true })).toBe('');
    rejectsAsInvalid(() => safeArtifactPath('/', { allowEmpty: true }));
  });
});

describe('safeArtifactPath: already-decoded input (query values)', () => {
  it('does not decode again: escapes left after the one decode are literal name text', () => {
    const read = { encoded: false, access: 'read' } as const;
    expect(safeArtifactPath('%2e%2e', read)).toBe('%2e%2e');
    expect(safeArtifactPath('a%252Fb', { encoded: false })).toBe('a%252Fb');
    expect(safeArtifactPath('a%5Cb', { encoded: false })).toBe('a%5Cb');
    expect(safeArtifactPath('a%0Db', { encoded: false })).toBe('a%0Db');
    expect(safeArtifactPath('x%25252e', { encoded: false })).toBe('x%25252e');
    rejectsAsInvalid(() => safeArtifactPath('..', { encoded: false }));
    rejectsAsInvalid(() => safeArtifactPath('a\u0000', { encoded: false }));
    rejectsAsInvalid(() => safeArtifactPath('a\ud800b', { encoded: false }));
    expect(safeArtifactPath('model/MLmodel', { encoded: false })).toBe('model/MLmodel');
  });

  it("refuses to write a name that MLflow's client, decoding it until stable, reads as # or .. (its listing would fail whole)", () => {
    for (const p of ['%2e%2e', 'a/%2e%2e/b', '%2e%2e/etc/passwd', '..%2fetc', 'img%step%23%t', 'x%2523y']) {
      expect(() => safeArtifactPath(p, { encoded: false }), p).toThrow(/^Invalid path$/);
      expect(safeArtifactPath(p, { encoded: false, access: 'read' }), p).toBe(p);
    }
    expect(() => safeArtifactPath('%252e%252e/etc/passwd')).toThrow(/^Invalid path$/);
    expect(safeArtifactPath('100%252e.txt')).toBe('100%2e.txt');
  });

  it("reads may name control characters (MLflow's client asks for decoded names), never NUL", () => {
    expect(safeArtifactPath('images/a%step\u0012b.png', { encoded: false, access: 'read' })).toBe(
      'images/a%step\u0012b.png',
    );
    rejectsAsInvalid(() => safeArtifactPath('images/a\u0012b.png', { encoded: false }));
    rejectsAsInvalid(() => safeArtifactPath('a\u0000b', { encoded: false, access: 'read' }));
  });

  it('answers MLflow\'s exact "Invalid path" for the paths MLflow refuses', () => {
    for (const p of ['../path', '/etc/passwd', 'C:/x', 'a#b'])
      expect(() => safeArtifactPath(p, { encoded: false })).toThrow(/^Invalid path$/);
  });

  it('accepts MLflow log_image names whatever the uuid starts with (%2e, %2f, %5c, %00, %0a, %0d, %3b…) but %23', () => {
    // 23 is the exception: the client reads %23 as '#' and refuses its whole listing; MLflow's server refuses it too.
    for (const lead of ['2e', '2f', '5c', '00', '0a', '0d', '3b', '25', 'ff']) {
      const name = `images/loss%step%12%timestamp%1765000000000%${lead}4f1c2a-8d7e-4b6a-9c1d-0e2f3a4b5c6d.png`;
      expect(safeArtifactPath(name, { encoded: false })).toBe(name);
      // The client's URL: requests percent-encodes every '%' once the name holds an invalid escape (`%st`).
      expect(safeArtifactPath(name.replaceAll('%', '%25'))).toBe(name);
    }
  });

  it('keeps harmless escapes literal: MLflow log_image names (`%step%2512%timestamp%17…`)', () => {
    const name = 'images/pred%step%2512%timestamp%1700000000000%g1b2c3d4-0000.png';
    expect(safeArtifactPath(name, { encoded: false })).toBe(name);
    expect(safeArtifactPath(name.replaceAll('%', '%25'))).toBe(name);
    expect(safeArtifactPath('a%41', { encoded: false })).toBe('a%41');
  });

  it('accepts a lone percent sign, as MLflow does (`100%.txt`)', () => {
    expect(safeArtifactPath('100%25.txt')).toBe('100%.txt');
    expect(safeArtifactPath('100%.txt', { encoded: false })).toBe('100%.txt');
  });
});

describe('safeArtifactPath: accepted input', () => {
  const cases: [string, string][] = [
    ['0/abc/artifacts/model/MLmodel', '0/abc/artifacts/model/MLmodel'],
    ['a/./b', 'a/b'],
    ['a//b/', 'a/b'],
    ['./a', 'a'],
    ['dir%2Ffile.txt', 'dir/file.txt'],
    ['with%20space.txt', 'with space.txt'],
    ['.hidden/..dots-inside..', '.hidden/..dots-inside..'],
    ['plots/loss:epoch=1.png', 'plots/loss:epoch=1.png'],
    ['%E6%A8%A1%E5%9E%8B/r%C3%A9sum%C3%A9.txt', '模型/résumé.txt'],
    ['%EF%BC%8E%EF%BC%8Ex', '．．x'],
    ['a'.repeat(255), 'a'.repeat(255)],
  ];
  it.each(cases)('%j → %j', (input, key) => {
    expect(safeArtifactPath(input)).toBe(key);
  });

  it('keeps non-ASCII names as given (no silent NFKC rewrite)', () => {
    expect(safeArtifactPath('ﬁle.txt', { encoded: false })).toBe('ﬁle.txt');
  });

  it('joins keys', () => {
    expect(joinKey('0/r/artifacts', '', 'model')).toBe('0/r/artifacts/model');
    expect(joinKey('', '')).toBe('');
  });
});

describe('resolveUnderRoot', () => {
  let base: string;
  let root: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'trove-safe-'));
    root = join(base, 'root');
    await mkdir(join(root, 'inside'), { recursive: true });
    await mkdir(join(base, 'outside'));
    await symlink(join(base, 'outside'), join(root, 'escape'));
    await symlink(join(root, 'inside'), join(root, 'alias'));
    await symlink('../..', join(root, 'inside', 'up'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('resolves keys to paths under the root, existing or not', async () => {
    expect(await resolveUnderRoot(root, 'inside/new/file.txt')).toBe(join(root, 'inside/new/file.txt'));
    expect(await resolveUnderRoot(root, '')).toBe(root);
    expect(await resolveUnderRoot(root, 'alias/x')).toBe(join(root, 'alias/x'));
  });

  it.each(['escape', 'escape/file', 'escape/not/yet/there.txt', 'inside/up/outside', 'inside/up'])(
    'rejects the symlink escape %j',
    async (key) => {
      await expect(resolveUnderRoot(root, key)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    },
  );
});
