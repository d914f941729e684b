import { Args, Command } from '@oclif/core';
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

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    process.stdout.write(args.shell === 'kubectl-helper' ? kubectlCompleteHelper() : completionScript(args.shell as Shell));
  }
}
