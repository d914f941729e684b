// Flags every `ca` command shares (where the CA lives, the key passphrase) and the one place that
// turns them into a CaStore.
import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { InvalidInputError, UsageError } from '../core/errors.js';
import type { CaStore } from '../core/pki/ca-store.js';
import { openKube } from '../services/kube.js';
import { openCaStore } from '../services/ca-store.js';
import type { CommandEnv } from './base-command.js';

export const caFlags = {
  'ca-dir': Flags.string({ description: 'CA directory (default: $VIBECTL_TLS_CA_DIR, then ~/.config/vibectl-tls/ca); with --store cluster it keeps the root key', helpGroup: 'CA' }),
  store: Flags.string({ description: 'where the CA lives: a local directory, or a Secret in the cluster (see --ca-namespace)', options: ['local', 'cluster'], default: 'local', helpGroup: 'CA' }),
  'ca-namespace': Flags.string({ description: 'with --store cluster: namespace of the CA Secret (-n stays the namespace of what is delivered)', default: 'vibectl-tls-system', helpGroup: 'CA' }),
  'passphrase-file': Flags.string({ description: 'file holding the passphrase of the CA keys (or set VIBECTL_TLS_CA_PASSPHRASE)', helpGroup: 'CA' }),
};

export interface CaFlagValues {
  'ca-dir'?: string | undefined;
  store: string;
  'passphrase-file'?: string | undefined;
  'ca-namespace'?: string | undefined;
}

export async function caStoreFrom(flags: CaFlagValues, env: CommandEnv, extra: { includeRootKey?: boolean } = {}): Promise<CaStore> {
  if (extra.includeRootKey && flags.store !== 'cluster') {
    throw new UsageError('--include-root-key only applies to --store cluster', { hint: 'drop --include-root-key, or add --store cluster' });
  }
  return openCaStore({
    store: flags.store === 'cluster' ? 'cluster' : 'local',
    caDir: flags['ca-dir'],
    kube: () => openKube(env.kube),
    namespace: flags['ca-namespace'],
    includeRootKey: extra.includeRootKey,
  });
}

export function passphraseFrom(flags: { 'passphrase-file'?: string | undefined }): string | undefined {
  if (flags['passphrase-file']) {
    try {
      return readFileSync(flags['passphrase-file'], 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new InvalidInputError(`cannot read --passphrase-file ${flags['passphrase-file']}: ${(err as Error).message}`, { hint: 'pass a readable file holding only the passphrase' });
    }
  }
  return process.env.VIBECTL_TLS_CA_PASSPHRASE || undefined;
}
