import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Confirm } from './Confirm.js';
import { keys, press, waitFor, waitForFrame } from '../../../test/support/frames.js';

afterEach(() => cleanup());

function setup(defaultValue: boolean) {
  const onSubmit = vi.fn();
  const onBack = vi.fn();
  const onInterrupt = vi.fn();
  const ui = render(
    <Confirm title="Apply 3 objects to cluster kind-dev?" why="Nothing is changed until you say yes." defaultValue={defaultValue} onSubmit={onSubmit} onBack={onBack} onInterrupt={onInterrupt} />,
  );
  return { ...ui, onSubmit, onBack, onInterrupt };
}

describe('Confirm', () => {
  it('shows which answer Enter takes', async () => {
    expect(await waitForFrame(setup(true).lastFrame, (f) => f.includes('?'))).toContain('Apply 3 objects to cluster kind-dev? (Y/n)');
    expect(await waitForFrame(setup(false).lastFrame, (f) => f.includes('?'))).toContain('(y/N)');
  });

  it.each([
    [true, keys.enter, true],
    [false, keys.enter, false],
    [false, 'y', true],
    [true, 'n', false],
    [true, 'N', false],
    [false, 'Y', true],
  ])('default %s, key %j answers %s', async (def, key, expected) => {
    const ui = setup(def);
    await press(ui.stdin, key);
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit).toHaveBeenCalledWith(expected);
  });

  it('ignores other keys', async () => {
    const ui = setup(true);
    await press(ui.stdin, 'x', 'q', ' ');
    await press(ui.stdin, 'n');
    await waitFor(() => ui.onSubmit.mock.calls.length > 0);
    expect(ui.onSubmit.mock.calls).toEqual([[false]]);
  });

  it('Esc goes back and Ctrl+C interrupts', async () => {
    const ui = setup(true);
    await press(ui.stdin, keys.escape);
    await waitFor(() => ui.onBack.mock.calls.length === 1);
    await press(ui.stdin, keys.ctrlC);
    await waitFor(() => ui.onInterrupt.mock.calls.length === 1);
    expect(ui.onSubmit).not.toHaveBeenCalled();
  });
});
