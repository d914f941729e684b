import { Args, Command, Errors } from '@oclif/core';
import { parseErrorLine, writeError } from '../cli/base-command.js';
import { UsageError, toTlsError } from '../core/errors.js';
import { completionScript, kubectlCompleteHelper, shells, type Shell } from '../cli/completion.js';

export default class Completion extends Command {
  static override summary = 'Print a shell completion script (bash, zsh, fish) or the kubectl completion helper';
  static override description =
    'bash/zsh/fish complete `kubectl-vibectl_tls …`. For `kubectl vibectl-tls …` (kubectl ≥ 1.26), put the helper on PATH as kubectl_complete-vibectl_tls: the archives and the npm package ship it; `completion kubectl-helper` prints it.';
  static override examples = [
    'source <(kubectl vibectl-tls completion bash)',
    'kubectl vibectl-tls completion zsh > "${fpath[1]}/_kubectl-vibectl_tls"',
    'kubectl vibectl-tls completion fish > ~/.config/fish/completions/kubectl-vibectl_tls.fish',
    'kubectl vibectl-tls completion kubectl-helper > ~/.local/bin/kubectl_complete-vibectl_tls && chmod +x ~/.local/bin/kubectl_complete-vibectl_tls',
  ];
  static override args = {
    shell: Args.string({ description: 'bash, zsh, fish, or kubectl-helper', options: [...shells, 'kubectl-helper'], required: true }),
  };

  // Not a BaseCommand (no global flags), but failures look the same: one `error:` line, exit 2.
  override async catch(err: Error): Promise<never> {
    if (err instanceof Errors.ExitError) throw err;
    const tls = err instanceof Errors.CLIError ? new UsageError(parseErrorLine(err.message), { hint: 'see `kubectl vibectl-tls completion --help`' }) : toTlsError(err);
    writeError(tls, { json: false, verbose: process.argv.includes('--verbose') || Boolean(process.env.DEBUG), original: err });
    return this.exit(tls.exitCode) as never;
  }

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    process.stdout.write(args.shell === 'kubectl-helper' ? kubectlCompleteHelper() : completionScript(args.shell as Shell));
  }
}
