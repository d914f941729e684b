import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { TextPrompt, type Validate } from './TextPrompt.js';
import { keys, press, waitFor, waitForFrame } from '../../../test/support/frames.js';

afterEach(() => cleanup());

const email: Validate = (v) => (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? undefined : `"${v}" is not an email address`);

function setup(props: { defaultValue?: string; validate?: Validate } = {}) {
  const onSubmit = vi.fn();
  const onBack = vi.fn();
  const onInterrupt = vi.fn();
  const ui = render(
    <TextPrompt
      title="Email for the ACME account"
      why="The CA writes here before a certificate expires."
      placeholder="you@example.com"
      {...props}
      onSubmit={onSubmit}
      onBack={onBack}
      onInterrupt={onInterrupt}
    />,
  );
  return { ...ui, onSubmit, onBack, onInterrupt };
}

const fieldLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('TextPrompt', () => {
  it('shows typed text and submits it with Enter', async () => {
    const ui = setup({ validate: email });
    await waitForFrame(ui.lastFrame, (f) => f.includes('you@example.com') && f.includes('The CA writes here'));
    await press(ui.stdin, 'ops@example.org');
    await waitForFrame(ui.lastFrame, (f) => fieldLine(f).includes('ops@example.org'));
    await press(ui.stdin, keys.enter);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('ops@example.org');
  });

  it('shows the validation message inline, keeps the prompt, and clears the message on edit', async () => {
    const ui = setup({ validate: email });
    await press(ui.stdin, 'ops@');
    await waitForFrame(ui.lastFrame, (f) => fieldLine(f).includes('ops@'));
    await press(ui.stdin, keys.enter);
    const withError = await waitForFrame(ui.lastFrame, (f) => f.includes('is not an email address'));
    expect(withError).toContain('✖ "ops@" is not an email address');
    expect(ui.onSubmit).not.toHaveBeenCalled();

    await press(ui.stdin, keys.backspace);
    const edited = await waitForFrame(ui.lastFrame, (f) => !f.includes('not an email'));
    expect(fieldLine(edited)).toContain('ops');
    expect(fieldLine(edited)).not.toContain('ops@');

    await press(ui.stdin, '@example.com');
    await waitForFrame(ui.lastFrame, (f) => fieldLine(f).includes('ops@example.com'));
    await press(ui.stdin, keys.enter);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('ops@example.com');
  });

  it('takes the default on an empty Enter, and validates it too', async () => {
    const ui = setup({ defaultValue: 'admin@example.com', validate: email });
    await waitForFrame(ui.lastFrame, (f) => f.includes('default: admin@example.com'));
    await press(ui.stdin, keys.enter);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('admin@example.com');

    const bad = setup({ defaultValue: 'not-an-email', validate: email });
    await press(bad.stdin, keys.enter);
    await waitForFrame(bad.lastFrame, (f) => f.includes('"not-an-email" is not an email address'));
    expect(bad.onSubmit).not.toHaveBeenCalled();
  });

  it('submits everything typed even when Enter follows immediately', async () => {
    const ui = setup();
    await press(ui.stdin, 'a', 'b', 'c', keys.enter);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('abc');
  });

  it('a pasted chunk ending in Enter types the text and submits it (validation still applies)', async () => {
    const ui = setup({ validate: (v) => (v.includes('.') ? undefined : 'needs a dot') });
    await press(ui.stdin, 'localhost\r');
    await waitForFrame(ui.lastFrame, (f) => f.includes('needs a dot'));
    expect(ui.onSubmit).not.toHaveBeenCalled();
    await press(ui.stdin, '.example\r');
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('localhost.example');
  });

  it('ignores arrows and control sequences instead of typing them', async () => {
    const ui = setup();
    await press(ui.stdin, 'x', keys.up, keys.down, '\u001B[C', 'y');
    await waitForFrame(ui.lastFrame, (f) => fieldLine(f).includes('xy'));
    await press(ui.stdin, keys.enter);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('xy');
  });

  it('Esc goes back and Ctrl+C interrupts', async () => {
    const ui = setup();
    await press(ui.stdin, 'half-typed');
    await waitForFrame(ui.lastFrame, (f) => f.includes('half-typed'));
    await press(ui.stdin, keys.escape);
    await waitFor(() => ui.onBack.mock.calls.length === 1, { what: 'onBack' });
    await press(ui.stdin, keys.ctrlC);
    await waitFor(() => ui.onInterrupt.mock.calls.length === 1, { what: 'onInterrupt' });
    expect(ui.onSubmit).not.toHaveBeenCalled();
  });
});
