// Bundles the CLI into ONE ESM file for the self-contained binary: every command from
// src/commands/ is imported statically (found on disk at bundle time, so adding a command needs no
// registration), dynamic import()s of our own and npm code are inlined, and only node:* builtins
// stay external. A Node single-executable application can import() nothing but builtins.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Command id (`ca:issue`) → path of its source file, relative to root, sorted by id. */
export function discoverCommands(root) {
  const dir = join(root, 'src', 'commands');
  const found = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !name.endsWith('.d.ts')) {
        const rel = relative(dir, p).split(sep).join('/').replace(/\.tsx?$/, '');
        const id = rel.replace(/(^|\/)index$/, '').split('/').filter(Boolean).join(':');
        found.push({ id, file: relative(root, p).split(sep).join('/') });
      }
    }
  };
  walk(dir);
  return found.sort((a, b) => a.id.localeCompare(b.id));
}

/** `oclif.hooks` of package.json (targets in dist/*.js) → event → source files (src/*.ts). */
export function hookSources(root, oclif) {
  const out = {};
  for (const [event, spec] of Object.entries(oclif?.hooks ?? {})) {
    out[event] = (Array.isArray(spec) ? spec : [spec]).map((h) => {
      const target = typeof h === 'string' ? h : h.target;
      const rel = target.replace(/^\.\//, '').replace(/^dist\//, 'src/').replace(/\.js$/, '');
      const file = ['.ts', '.tsx'].map((e) => rel + e).find((f) => existsSync(join(root, f)));
      if (!file) throw new Error(`hook ${event}: no source for ${target} (looked for ${rel}.ts)`);
      return { file, identifier: typeof h === 'string' ? 'default' : (h.identifier ?? 'default') };
    });
  }
  return out;
}

/** The generated entry module: a fast `--version`, then oclif with the in-memory command map. */
export function entrySource({ commands, pjson, hooks = {} }) {
  const hookList = Object.entries(hooks).flatMap(([event, hs]) => hs.map((h) => ({ event, ...h })));
  // Dynamic import()s: esbuild keeps them in the one file but evaluates a module (and the oclif,
  // services and core code under it) only when it is first imported, so \`--version\` skips it all.
  const loads = [
    ...commands.map((c) => `import('./${c.file}')`),
    ...hookList.map((h) => `import('./${h.file}')`),
  ].join(',\n    ');
  const map = commands.map((c, i) => `    ${JSON.stringify(c.id)}: m[${i}].default,`).join('\n');
  const hookMap = Object.keys(hooks)
    .map((event) => `    ${JSON.stringify(event)}: [${hookList.map((h, i) => (h.event === event ? `m[${commands.length + i}][${JSON.stringify(h.identifier)}]` : null)).filter(Boolean).join(', ')}],`)
    .join('\n');
  return `const pjson = ${JSON.stringify(pjson)};
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(\`vibectl-tls/\${pjson.version} \${process.platform}-\${process.arch} node-\${process.version}\\n\`);
} else {
  const m = await Promise.all([
    ${loads}
  ]);
  const commands = {
${map}
  };
  const hooks = {
${hookMap}
  };
  if (argv[0] === '__complete') {
    const { completeFromCommands } = await import('./src/cli/completion.ts');
    process.stdout.write(completeFromCommands(commands, argv.slice(1)));
  } else {
    const { runStandalone } = await import('./src/cli/standalone.ts');
    await runStandalone({ commands, pjson, hooks });
  }
}
`;
}

// ink imports react-devtools-core (not a dependency) only when DEV=true. Left external, esbuild
// would hoist it into a static import that a single-executable application cannot resolve.
const devtoolsStub = {
  name: 'react-devtools-core-stub',
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: "const unavailable = () => { throw new Error('React DevTools are not available in the self-contained binary (unset DEV)'); };\nexport default { initialize: unavailable, connectToDevTools: unavailable };\n",
      loader: 'js',
    }));
  },
};

/** Runs esbuild; returns { outfile, bytes, commands }. */
export async function bundle({ root, outfile, minify = true }) {
  const { build } = await import('esbuild');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const pjson = { name: pkg.name, version: pkg.version, description: pkg.description, type: pkg.type, oclif: pkg.oclif };
  const commands = discoverCommands(root);
  const result = await build({
    stdin: { contents: entrySource({ commands, pjson, hooks: hookSources(root, pkg.oclif) }), resolveDir: root, sourcefile: 'vibectl-tls-standalone.ts', loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    splitting: false,
    minify,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    // The CommonJS packages inside (oclif, axios, …) call require() for builtins; an ESM bundle
    // has no require of its own.
    banner: { js: "import { createRequire as __vtlsCreateRequire } from 'node:module'; const require = __vtlsCreateRequire(import.meta.url);" },
    define: {
      'process.env.NODE_ENV': '"production"',
      __VIBECTL_TLS_VERSION__: JSON.stringify(pkg.version),
    },
    // oclif require()s typescript only for ts-node development setups (inside a try): not shipped.
    external: ['typescript'],
    plugins: [devtoolsStub],
    metafile: true,
  });
  const bytes = statSync(outfile).size;
  return { outfile, bytes, commands: commands.map((c) => c.id), metafile: result.metafile };
}
