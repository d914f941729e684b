// Regenerates the docs that are derived from code. Run with `npm run docs:gen`.
import { writeFileSync } from 'node:fs';
import { decisionTreeMarkdown } from '../src/core/setup/tree-doc.js';

writeFileSync(new URL('../docs/decision-tree.md', import.meta.url), decisionTreeMarkdown());
process.stderr.write('wrote docs/decision-tree.md\n');
