// Objects as a multi-document YAML stream (what `--dry-run -o yaml` prints and `kubectl apply -f`
// reads). Secret values are redacted unless the caller explicitly asks for them.
import type { KubeObject } from '../kube/client.js';
import { redactSecrets } from './secret.js';

export async function toYamlDocuments(objects: KubeObject[], options: { revealSecrets?: boolean } = {}): Promise<string> {
  const { stringify } = await import('yaml');
  return objects.map((o) => stringify(options.revealSecrets ? o : redactSecrets(o), { lineWidth: 0 })).map((d) => `---\n${d}`).join('');
}
