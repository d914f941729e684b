// `trust export`: the client trust material (CA certificates only) as PEM, a PKCS#12 trust store
// or a Java KeyStore, from the private CA or from what the cluster already distributes, plus a
// summary of what is inside (subjects, fingerprints, expiry).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { ConflictError, InvalidInputError } from '../core/errors.js';
import { buildJks } from '../core/pki/jks.js';
import { buildTrustStore } from '../core/pki/pkcs12.js';
import { certificatePemsFromDers } from '../core/pki/pem.js';
import { readTrustMaterial, summarize, trustAliases, type CertificateSummary, type TrustSource } from './trust-material.js';

export const TRUST_EXPORT_FORMATS = ['pem', 'pkcs12', 'jks'] as const;
export type TrustExportFormat = (typeof TRUST_EXPORT_FORMATS)[number];

export interface TrustExportOptions {
  source: TrustSource;
  format: TrustExportFormat;
  /** Store password for pkcs12/jks (default "changeit": a trust store holds no secret). */
  password?: string | undefined;
  /** File to write; without it the content is returned for the caller to print. */
  out?: string | undefined;
  /** Replace an existing --out file. */
  force?: boolean | undefined;
  now?: () => Date;
}

export interface TrustExportReport {
  format: TrustExportFormat;
  source: string;
  out: string | null;
  bytes: number;
  certificates: CertificateSummary[];
}

export interface TrustExportResult {
  report: TrustExportReport;
  content: Buffer;
  binary: boolean;
}

export async function exportTrust(o: TrustExportOptions): Promise<TrustExportResult> {
  const now = (o.now ?? (() => new Date()))();
  const material = await readTrustMaterial(o.source);
  const password = o.password ?? 'changeit';
  let content: Buffer;
  if (o.format === 'pem') content = Buffer.from(certificatePemsFromDers(material.ders));
  else {
    const aliases = trustAliases(material.ders);
    const entries = material.ders.map((der, i) => ({ alias: aliases[i]!, der }));
    content = o.format === 'pkcs12' ? await buildTrustStore(entries, { password }) : buildJks(entries, { password, now });
  }
  const out = o.out ? resolve(o.out) : null;
  if (out) await writeOut(out, content, { force: Boolean(o.force) });
  return {
    report: { format: o.format, source: material.source, out, bytes: content.length, certificates: material.ders.map((d) => summarize(d, now)) },
    content,
    binary: o.format !== 'pem',
  };
}

/**
 * Writes beside the target, then moves it into place: readers see the old file or the new one.
 * Without force the move is a hard link, which fails if the target exists — no check-then-write race.
 */
async function writeOut(target: string, content: Buffer, o: { force: boolean }): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (o.force) await fs.rename(tmp, target);
    else await fs.link(tmp, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ConflictError(`${target} already exists`, { hint: 'pass --force to replace it, or choose another --out' });
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InvalidInputError(`cannot write ${target}: its directory does not exist`, { hint: `create ${dirname(target)} first` });
    if (code === 'EACCES' || code === 'EPERM') throw new InvalidInputError(`cannot write ${target}: permission denied`, { hint: 'choose a writable --out' });
    throw err;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
