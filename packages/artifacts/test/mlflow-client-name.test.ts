import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { findByMlflowClientView, LocalArtifactStore, mlflowClientView, refusedByMlflowClient } from '../src/index.ts';

const image = (lead: string, step = 12) =>
  `loss%step%${step}%timestamp%1765000000000%${lead}4f1c2a-8d7e-4b6a-9c1d-0e2f3a4b5c6d.png`;

describe('mlflowClientView (MLflow 2.17 validate_path_is_safe decoding)', () => {
  it('decodes valid escapes until stable, leaves invalid ones, reads bytes as UTF-8 with U+FFFD', () => {
    expect(mlflowClientView(image('2e'))).toBe(
      'loss%step\u0012%timestamp\u001765000000000.4f1c2a-8d7e-4b6a-9c1d-0e2f3a4b5c6d.png',
    );
    expect(mlflowClientView('a%252e')).toBe('a.');
    expect(mlflowClientView('a%FBb')).toBe('a\ufffdb');
    expect(mlflowClientView('100%.txt')).toBe('100%.txt');
    expect(mlflowClientView('caf%C3%A9')).toBe('café');
  });

  it('names what the client would refuse when listing: # and .. and absolute paths once decoded', () => {
    expect(refusedByMlflowClient(image('23'))).toMatch(/#/);
    expect(refusedByMlflowClient(image('ab', 23))).toMatch(/#/);
    expect(refusedByMlflowClient('%2e%2e/x')).toMatch(/\.\./);
    expect(refusedByMlflowClient('%2fetc')).toMatch(/absolute/);
    for (const lead of ['2e', '2f', '5c', '00', '0a', '0d', '3b', 'ff'])
      expect(refusedByMlflowClient(image(lead)), lead).toBeUndefined();
  });
});

describe('findByMlflowClientView', () => {
  it('finds the literally stored name the client asks for by its decoded form, through decoded separators too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trove-client-name-'));
    try {
      const store = new LocalArtifactStore(dir);
      const names = [image('2e'), image('2f'), image('5c'), image('0a')];
      for (const n of names) await store.put(`run/images/${n}`, Readable.from([Buffer.from(n)]));
      for (const n of names)
        expect(await findByMlflowClientView(store, 'run', `images/${mlflowClientView(n)}`), n).toBe(`run/images/${n}`);
      expect(await findByMlflowClientView(store, 'run', 'images/nothing.png')).toBeUndefined();
      // Python drops CR/LF/tab from URLs: the client asks for a %0A name without its newline.
      expect(
        await findByMlflowClientView(store, 'run', `images/${mlflowClientView(image('0a')).replace('\n', '')}`),
      ).toBe(`run/images/${image('0a')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
