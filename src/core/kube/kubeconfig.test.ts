import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kubeconfig.js';
import { ClusterUnreachableError, InvalidInputError, UsageError } from '../errors.js';

function kubeconfig(name: string, opts: { current?: string; namespace?: string; user?: string } = {}): string {
  const user = opts.user ?? `  user:\n    token: t-${name}`;
  return `apiVersion: v1
kind: Config
${opts.current ? `current-context: ${opts.current}\n` : ''}clusters:
- name: ${name}
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: ${name}
  context:
    cluster: ${name}
    user: ${name}
${opts.namespace ? `    namespace: ${opts.namespace}\n` : ''}users:
- name: ${name}
${user}
`;
}

const dir = mkdtempSync(join(tmpdir(), 'kcfg-'));
const write = (file: string, text: string) => {
  const p = join(dir, file);
  writeFileSync(p, text);
  return p;
};

describe('loadKubeConfig', () => {
  it('merges KUBECONFIG files with the first current-context winning, like kubectl', async () => {
    const a = write('a', kubeconfig('alpha', { current: 'alpha', namespace: 'apps' }));
    const b = write('b', kubeconfig('beta', { current: 'beta' }));
    const t = await loadKubeConfig({ env: { KUBECONFIG: `${a}:${b}` } });
    expect(t.contextName).toBe('alpha');
    expect(t.namespace).toBe('apps');
    const other = await loadKubeConfig({ env: { KUBECONFIG: `${a}:${b}` }, context: 'beta', namespace: 'x' });
    expect(other.contextName).toBe('beta');
    expect(other.namespace).toBe('x');
    expect(other.authMethod).toBe('token');
  });

  it('names the auth method, including exec credential plugins', async () => {
    const p = write('exec', kubeconfig('eks', { current: 'eks', user: '  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token]' }));
    const t = await loadKubeConfig({ kubeconfig: p });
    expect(t.authMethod).toBe('exec');
    expect(t.execCommand).toBe('aws');
  });

  it('refuses an unknown context and lists the known ones', async () => {
    const p = write('one', kubeconfig('only', { current: 'only' }));
    await expect(loadKubeConfig({ kubeconfig: p, context: 'nope' })).rejects.toThrow(UsageError);
    await expect(loadKubeConfig({ kubeconfig: p, context: 'nope' })).rejects.toMatchObject({ hint: expect.stringContaining('only') });
  });

  it('explains a missing or malformed file', async () => {
    await expect(loadKubeConfig({ kubeconfig: join(dir, 'missing') })).rejects.toThrow(InvalidInputError);
    const bad = write('bad', 'clusters: [this is: not valid');
    await expect(loadKubeConfig({ kubeconfig: bad })).rejects.toThrow(InvalidInputError);
  });

  it('says so when there is no current context', async () => {
    const p = write('nocurrent', kubeconfig('x'));
    await expect(loadKubeConfig({ kubeconfig: p })).rejects.toThrow(ClusterUnreachableError);
  });
});
