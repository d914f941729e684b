import { describe, expect, it } from 'vitest';
import { BACK, isBack, renderConfirm, renderReport, renderSelect, renderTable, renderTasks, renderText } from './render.js';
import { InterruptedError, MissingInputError, ExitCode } from '../core/errors.js';
import { fakeTerminal, PlainOut } from '../../test/support/fake-tty.js';
import { keys, press, waitFor } from '../../test/support/frames.js';

// These tests drive Ink on a fake terminal and read its live frames. With CI set (as in .ci/run),
// Ink draws only the last frame when it unmounts (is-in-ci, read when Ink is first imported —
// lazily, inside the render functions, so after this line). The commands never prompt under CI
// anyway (prompt-policy), so this only concerns how these tests observe the prompt.
process.env.CI = 'false';

const ESC = '\u001b';
const SGR = new RegExp(`${ESC}\\[\\d+(;\\d+)*m`);
const issuerOptions = [
  { value: 'letsencrypt', label: "Let's Encrypt" },
  { value: 'private-ca', label: 'Private CA' },
];

describe('prompts refuse to ask when they may not', () => {
  const cases: Array<[string, (t: ReturnType<typeof fakeTerminal>) => Record<string, unknown>]> = [
    ['--non-interactive', (t) => ({ ...t.streams, nonInteractive: true })],
    ['CI=true', (t) => ({ ...t.streams, env: { CI: 'true' } })],
    ['stdin not a TTY', (t) => ({ ...t.streams, stdin: Object.assign(t.stdin, { isTTY: false }) })],
    ['stdout piped', (t) => ({ ...t.streams, stdout: new PlainOut() })],
    ['stderr piped', (t) => ({ ...t.streams, stderr: new PlainOut() })],
  ];
  it.each(cases)('%s: select fails with exit 2 naming the flag, and draws nothing', async (_name, streams) => {
    const t = fakeTerminal();
    const err = await renderSelect({ title: 'Which issuer?', what: 'the issuer', flags: ['--issuer NAME'], options: issuerOptions, ...streams(t) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingInputError);
    const e = err as MissingInputError;
    expect(e.exitCode).toBe(ExitCode.Usage);
    expect(e.message).toMatch(/^the issuer is required/);
    expect(e.hint).toBe('pass --issuer NAME');
    expect(t.stderr.written).toBe('');
  });

  it('text and confirm refuse too, naming their flags', async () => {
    const t = fakeTerminal();
    const text = await renderText({ title: 'Email', flags: ['--email ADDR'], ...t.streams, nonInteractive: true }).catch((e: unknown) => e);
    expect((text as MissingInputError).hint).toBe('pass --email ADDR');
    const confirm = await renderConfirm({ title: 'Apply?', what: 'confirmation', flags: ['--yes'], default: false, ...t.streams, nonInteractive: true }).catch((e: unknown) => e);
    expect(confirm).toBeInstanceOf(MissingInputError);
    expect((confirm as MissingInputError).message).toMatch(/^confirmation is required/);
  });
});

describe('prompts on a terminal', () => {
  it('select resolves with the chosen value and leaves the answer on screen', async () => {
    const t = fakeTerminal();
    const answer = renderSelect({ title: 'Which issuer?', why: 'decides who trusts the certificate', flags: ['--issuer NAME'], options: issuerOptions, default: 'private-ca', ...t.streams, noColor: true });
    await press(t.stdin, keys.enter);
    await expect(answer).resolves.toBe('private-ca');
    expect(t.stderr.text()).toContain('✔ Which issuer? · Private CA');
    expect(t.stdout.written).toBe('');
    // Ink gave the terminal back.
    expect(t.stdin.isRaw).toBe(false);
  });

  it('Esc resolves with BACK and clears the question', async () => {
    const t = fakeTerminal();
    const answer = renderText({ title: 'Email', flags: ['--email ADDR'], ...t.streams });
    await press(t.stdin, 'a@b.c');
    await press(t.stdin, keys.escape);
    const value = await answer;
    expect(value).toBe(BACK);
    expect(isBack(value)).toBe(true);
    expect(t.stderr.text()).not.toContain('✔ Email');
  });

  it('Ctrl+C rejects with InterruptedError (exit 130)', async () => {
    const t = fakeTerminal();
    const answer = renderConfirm({ title: 'Apply?', flags: ['--yes'], default: true, ...t.streams });
    await press(t.stdin, keys.ctrlC);
    const err = await answer.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(130);
  });

  it('text validates before resolving', async () => {
    const t = fakeTerminal();
    const answer = renderText({ title: 'Domain', flags: ['--domain NAME'], validate: (v) => (v.includes('.') ? undefined : 'needs a dot'), ...t.streams });
    await press(t.stdin, 'localhost');
    await press(t.stdin, keys.enter);
    await waitFor(() => t.stderr.text().includes('needs a dot'), { what: 'inline validation message' });
    await press(t.stdin, '.example');
    await press(t.stdin, keys.enter);
    await expect(answer).resolves.toBe('localhost.example');
  });

  it('colours follow --no-color even on a terminal', async () => {
    const t = fakeTerminal();
    const answer = renderConfirm({ title: 'Apply?', flags: ['--yes'], default: true, ...t.streams, noColor: true });
    await press(t.stdin, 'y');
    await expect(answer).resolves.toBe(true);
    expect(t.stderr.written).not.toMatch(SGR);

    const coloured = fakeTerminal();
    const again = renderConfirm({ title: 'Apply?', flags: ['--yes'], default: true, ...coloured.streams });
    await press(coloured.stdin, 'y');
    await again;
    expect(coloured.stderr.written).toContain(`${ESC}[32m`);
  });
});

describe('renderTasks', () => {
  it('prints one plain line per finished step on a non-terminal, and returns the results', async () => {
    const err = new PlainOut();
    const outcome = await renderTasks(
      [
        { title: 'Render manifests', run: async () => 1 },
        { title: 'Apply', run: async () => Promise.reject(Object.assign(new Error('forbidden: secrets'), { hint: 'ask for RBAC' })) },
        { title: 'Verify', run: async () => 3 },
      ],
      { stderr: err as unknown as NodeJS.WriteStream, env: {} },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.results.map((r) => r.status)).toEqual(['ok', 'failed', 'skipped']);
    const lines = err.written.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✔ Render manifests \(\d+\.\ds\)$/);
    expect(lines[1]).toMatch(/^✖ Apply \(\d+\.\ds\)$/);
    expect(lines.slice(2)).toEqual(['    forbidden: secrets', '    next: ask for RBAC', '- Verify (skipped)']);
    expect(err.written).not.toContain(ESC);
  });

  it('does not animate in CI even on a terminal', async () => {
    const t = fakeTerminal();
    await renderTasks([{ title: 'one', run: async () => 1 }], { stderr: t.streams.stderr, env: { CI: '1' }, noColor: true });
    expect(t.stderr.written).toMatch(/^✔ one \(\d\.\ds\)\n$/);
  });

  it('animates on a terminal and ends with every step shown', async () => {
    const t = fakeTerminal();
    const outcome = await renderTasks(
      [
        { title: 'first', run: async () => 'a' },
        { title: 'second', run: async () => 'b' },
      ],
      { ...t.streams, noColor: true },
    );
    expect(outcome.results.map((r) => r.value)).toEqual(['a', 'b']);
    const text = t.stderr.text();
    expect(text).toMatch(/✔ first \(\d\.\ds\)/);
    expect(text).toMatch(/✔ second \(\d\.\ds\)/);
  });
});

describe('renderTable and renderReport', () => {
  it('aligns columns, right-aligns numbers, and has no trailing spaces', async () => {
    const text = await renderTable({
      columns: [
        { key: 'name', header: 'Name' },
        { key: 'days', header: 'Days left', align: 'right' },
        { key: 'issuer', header: 'Issuer' },
      ],
      rows: [
        { name: 'app-tls', days: 62, issuer: "Let's Encrypt" },
        { name: 'internal-api-tls', days: 7, issuer: null },
      ],
      noColor: true,
    });
    expect(text.split('\n')).toEqual([
      'NAME              DAYS LEFT  ISSUER',
      'app-tls                  62  Let\'s Encrypt',
      'internal-api-tls          7',
    ]);
  });

  it('prints the empty message when there are no rows', async () => {
    expect(await renderTable({ columns: [{ key: 'a', header: 'A' }], rows: [], empty: 'no certificates found', noColor: true })).toBe('no certificates found');
  });

  it('never wraps long cells', async () => {
    const long = 'x'.repeat(300);
    const text = await renderTable({ columns: [{ key: 'a', header: 'A' }], rows: [{ a: long }], noColor: true });
    expect(text.split('\n')[1]).toBe(long);
  });

  it('reports checks as ✔ / ‼ / ✖ lines with details, next steps and a summary', async () => {
    const text = await renderReport({
      sections: [
        {
          title: 'Certificates',
          items: [
            { status: 'ok', title: 'app-tls is valid for 62 more days' },
            { status: 'warn', code: 'TLS010', title: 'www-tls expires in 9 days', hint: 'run `kubectl vibectl-tls renew`' },
          ],
        },
        { title: 'Endpoints', items: [{ status: 'fail', title: 'app.example.com:443 serves an incomplete chain', detail: 'missing: R11' }] },
      ],
      noColor: true,
    });
    expect(text).toBe(
      [
        'Certificates',
        '────────────',
        '✔ app-tls is valid for 62 more days',
        '‼ [TLS010] www-tls expires in 9 days',
        '    next: run `kubectl vibectl-tls renew`',
        '',
        'Endpoints',
        '─────────',
        '✖ app.example.com:443 serves an incomplete chain',
        '    missing: R11',
        '',
        '1 passed, 1 warning, 1 error',
      ].join('\n'),
    );
  });

  it('colours only when asked for', async () => {
    const sections = [{ title: 'S', items: [{ status: 'ok' as const, title: 'fine' }] }];
    expect(await renderReport({ sections, env: {}, stream: new PlainOut() as unknown as NodeJS.WriteStream })).not.toContain(ESC);
    expect(await renderReport({ sections, env: { FORCE_COLOR: '1' }, stream: new PlainOut() as unknown as NodeJS.WriteStream })).toContain(`${ESC}[32m`);
    expect(await renderReport({ sections, env: { FORCE_COLOR: '1' }, noColor: true })).not.toContain(ESC);
  });
});
