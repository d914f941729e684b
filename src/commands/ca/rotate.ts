import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { caFlags, caStoreFrom, passphraseFrom } from '../../cli/ca-options.js';
import { UsageError } from '../../core/errors.js';
import { rotateCa, type RotateResult } from '../../services/ca-rotate.js';
import { openKube } from '../../services/kube.js';

export default class CaRotate extends BaseCommand {
  static override summary = 'Rotate the intermediate (default) or the root without breaking a handshake';
  static override description = [
    'Steps: prepare (new CA, bundle trusting old and new, published to every leaf directory, leaf Secret and bundle ConfigMap),',
    'reissue (every current leaf from the new intermediate, delivered where the old one went), finish (old CA out of the bundle, archived).',
    'An intermediate rotation runs all three at once. A root rotation stops after each step, because clients must load the new bundle',
    'before servers switch, and servers must serve the new chain before the old root goes: run `--continue` and then `--finish`,',
    'or `--all` when every client re-reads the bundle on each connection.',
  ].join(' ');
  static override examples = [
    'kubectl vibectl-tls ca rotate',
    'kubectl vibectl-tls ca rotate --root',
    'kubectl vibectl-tls ca rotate --continue',
    'kubectl vibectl-tls ca rotate --finish',
  ];
  static override flags = {
    ...caFlags,
    root: Flags.boolean({ description: 'rotate the root too (new root and intermediate)' }),
    continue: Flags.boolean({ description: 'run the next step of the rotation in progress' }),
    finish: Flags.boolean({ description: 'retire the old CA (after every server serves the new chain)' }),
    all: Flags.boolean({ description: 'run every remaining step now' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CaRotate);
    const env = this.env(flags);
    if ([flags.root, flags.continue, flags.finish].filter(Boolean).length > 1) throw new UsageError('pass only one of --root, --continue, --finish');
    const result = await rotateCa({
      store: await caStoreFrom(flags, env),
      start: flags.continue || flags.finish ? undefined : flags.root ? 'root' : 'intermediate',
      finish: flags.finish,
      all: flags.all,
      kube: () => openKube(env.kube),
      passphrase: passphraseFrom(flags),
      onStep: (s) => this.info(`✔ ${s}`),
    });
    await this.emit(result, () => rotateText(result));
  }
}

function rotateText(r: RotateResult): string {
  const lines = [`${r.kind} rotation: ran ${r.stepsRun.join(', ')}`];
  lines.push(`  root          ${r.root.subject} (until ${r.root.notAfter.slice(0, 10)})`);
  lines.push(`  intermediate  ${r.intermediate.subject} (until ${r.intermediate.notAfter.slice(0, 10)})`);
  for (const c of r.reissued) lines.push(`  re-issued     ${c.name} (serial ${c.serial})`);
  for (const p of r.published) lines.push(`  bundle        ${p}`);
  if (r.next === 'reissue') lines.push('next: once clients have the new bundle, run `kubectl vibectl-tls ca rotate --continue`');
  if (r.next === 'finish') lines.push('next: once every server serves the new chain, run `kubectl vibectl-tls ca rotate --finish`');
  if (!r.next) lines.push('rotation complete; the old CA is archived in the CA directory');
  return lines.join('\n');
}
