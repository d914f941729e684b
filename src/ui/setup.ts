// Runs the setup wizard on the terminal. Ink and React are loaded here, only when the wizard runs.
import type { SetupAnswers, SetupFacts } from '../core/setup/answers.js';
import { InterruptedError } from '../core/errors.js';
import { ensureCanPrompt } from './render.js';
import { colorEnabled, palette } from './colors.js';

export interface WizardRunOptions {
  facts: SetupFacts;
  header: Array<[string, string]>;
  initial: SetupAnswers;
  nonInteractive?: boolean | undefined;
  noColor?: boolean | undefined;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
}

/** Asks every question the flags did not answer. Ctrl+C rejects with InterruptedError (nothing changed). */
export async function renderSetupWizard(o: WizardRunOptions): Promise<SetupAnswers> {
  ensureCanPrompt({ title: 'setup', what: 'the setup choices', flags: ['--issuer …', '--domain …'], nonInteractive: o.nonInteractive });
  const [{ render }, { createElement }, { SetupWizard }, { PaletteContext }] = await Promise.all([
    import('ink'),
    import('react'),
    import('./components/SetupWizard.js'),
    import('./components/theme.js'),
  ]);
  const out = o.stderr ?? process.stderr;
  const p = palette(colorEnabled({ noColor: o.noColor, stream: out }));
  return new Promise<SetupAnswers>((resolve, reject) => {
    let done = false;
    const instance = render(
      createElement(
        PaletteContext.Provider,
        { value: p },
        createElement(SetupWizard, {
          facts: o.facts,
          header: o.header,
          initial: o.initial,
          onDone: (answers: SetupAnswers) => {
            if (done) return;
            done = true;
            // Let Ink paint the last answer before leaving.
            setTimeout(() => {
              instance.unmount();
              resolve(answers);
            }, 0);
          },
          onInterrupt: () => {
            if (done) return;
            done = true;
            instance.unmount();
            reject(new InterruptedError('setup interrupted: nothing was changed'));
          },
        }),
      ),
      { stdin: o.stdin ?? process.stdin, stdout: out, stderr: out, exitOnCtrlC: false, patchConsole: false },
    );
  });
}
