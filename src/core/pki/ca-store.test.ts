import { mkdtempSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCaStore } from './ca-store.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'ca-store-')), 'ca');

describe('LocalCaStore', () => {
  it('creates a 0700 directory, writes keys 0600, leaves no temp files', async () => {
    const dir = fresh();
    const s = new LocalCaStore({ dir });
    await s.write({ 'root.key': 'K', 'root.crt': 'C', 'ca.json': '{}' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'root.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await s.read('root.crt')).toBe('C');
    expect(await s.exists()).toBe(true);
    await s.write({ 'root.crt': null });
    expect(await s.read('root.crt')).toBeUndefined();
  });
  it('refuses item names that escape the directory', async () => {
    const s = new LocalCaStore({ dir: fresh() });
    await expect(s.write({ '../x': 'y' })).rejects.toThrow('escapes');
  });
  it('serialises writers with a lock and breaks a stale one', async () => {
    const dir = fresh();
    const s = new LocalCaStore({ dir });
    const order: string[] = [];
    const slow = s.locked(async () => {
      order.push('a-start');
      await new Promise((r) => setTimeout(r, 100));
      order.push('a-end');
    });
    await new Promise((r) => setTimeout(r, 10));
    await s.locked(async () => order.push('b'));
    await slow;
    expect(order).toEqual(['a-start', 'a-end', 'b']);
    writeFileSync(join(dir, '.lock'), '999999999');
    const dead = new LocalCaStore({ dir, isAlive: () => false });
    expect(await dead.locked(async () => 'ran')).toBe('ran');
  });
  it('times out on a live lock with a conflict error', async () => {
    const dir = fresh();
    const s = new LocalCaStore({ dir, lockTimeoutMs: 100, isAlive: () => true });
    await s.write({ 'ca.json': '{}' });
    writeFileSync(join(dir, '.lock'), '12345');
    await expect(s.locked(async () => 1)).rejects.toMatchObject({ exitCode: 6 });
  });
});
