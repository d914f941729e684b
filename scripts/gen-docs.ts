// Regenerates the docs that are derived from code. Run with `npm run docs:gen` (after `npm run build`,
// which writes oclif.manifest.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { decisionTreeMarkdown } from '../src/core/setup/tree-doc.js';
import { referenceMarkdown, type Manifest } from './docs/reference.js';

writeFileSync(new URL('../docs/decision-tree.md', import.meta.url), decisionTreeMarkdown());
process.stderr.write('wrote docs/decision-tree.md\n');
const manifest = JSON.parse(readFileSync(new URL('../oclif.manifest.json', import.meta.url), 'utf8')) as Manifest;
writeFileSync(new URL('../docs/reference.md', import.meta.url), referenceMarkdown(manifest));
process.stderr.write('wrote docs/reference.md\n');
