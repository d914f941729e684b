import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Select, type SelectOption } from './Select.js';
import { keys, press, waitFor, waitForFrame } from '../../../test/support/frames.js';

afterEach(() => cleanup());

const issuers: SelectOption<string>[] = [
  { value: 'letsencrypt', label: "Let's Encrypt", hint: 'trusted by browsers' },
  { value: 'zerossl', label: 'ZeroSSL', disabled: 'needs EAB credentials' },
  { value: 'private-ca', label: 'Private CA' },
  { value: 'selfsigned', label: 'Self-signed bootstrap' },
];

function setup(defaultValue?: string) {
  const onSubmit = vi.fn();
  const onBack = vi.fn();
  const onInterrupt = vi.fn();
  const ui = render(
    <Select
      title="Which issuer signs the certificate?"
      why="Browsers trust public CAs; a private CA is trusted only where you install it."
      options={issuers}
      defaultValue={defaultValue}
      onSubmit={onSubmit}
      onBack={onBack}
      onInterrupt={onInterrupt}
    />,
  );
  return { ...ui, onSubmit, onBack, onInterrupt };
}

const pointed = (frame: string) => frame.split('\n').find((l) => l.startsWith('❯'));

describe('Select', () => {
  it('shows the title, the why line, the options and a disabled option with its reason', async () => {
    const ui = setup();
    const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Self-signed'));
    expect(frame).toContain('? Which issuer signs the certificate?');
    expect(frame).toContain('Browsers trust public CAs');
    expect(frame).toContain('ZeroSSL  (unavailable: needs EAB credentials)');
    expect(pointed(frame)).toContain("Let's Encrypt");
  });

  it('preselects the default', async () => {
    const ui = setup('private-ca');
    const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('❯'));
    expect(pointed(frame)).toContain('Private CA');
    await press(ui.stdin, keys.enter);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('private-ca');
  });

  it('moves with arrows and j/k, skipping the disabled option, and picks with Enter', async () => {
    const ui = setup();
    await press(ui.stdin, keys.down);
    await waitForFrame(ui.lastFrame, (f) => pointed(f)?.includes('Private CA') ?? false);
    await press(ui.stdin, 'j');
    await waitForFrame(ui.lastFrame, (f) => pointed(f)?.includes('Self-signed') ?? false);
    await press(ui.stdin, 'k');
    await waitForFrame(ui.lastFrame, (f) => pointed(f)?.includes('Private CA') ?? false);
    await press(ui.stdin, keys.up);
    await waitForFrame(ui.lastFrame, (f) => pointed(f)?.includes("Let's Encrypt") ?? false);
    // Up from the first option wraps to the last.
    await press(ui.stdin, keys.up);
    await waitForFrame(ui.lastFrame, (f) => pointed(f)?.includes('Self-signed') ?? false);
    await press(ui.stdin, keys.enter);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('selfsigned');
    expect(ui.onBack).not.toHaveBeenCalled();
  });

  it('picks the option the last key moved to even when keys arrive faster than renders', async () => {
    const ui = setup();
    await press(ui.stdin, keys.down, keys.down, keys.enter);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith('selfsigned');
  });

  it('never preselects a disabled default', async () => {
    const ui = setup('zerossl');
    const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('❯'));
    expect(pointed(frame)).toContain("Let's Encrypt");
  });

  it('Esc goes back and Ctrl+C interrupts, without submitting', async () => {
    const ui = setup();
    await press(ui.stdin, keys.escape);
    await waitFor(() => ui.onBack.mock.calls.length === 1, { what: 'onBack' });
    await press(ui.stdin, keys.ctrlC);
    await waitFor(() => ui.onInterrupt.mock.calls.length === 1, { what: 'onInterrupt' });
    expect(ui.onSubmit).not.toHaveBeenCalled();
  });
});
