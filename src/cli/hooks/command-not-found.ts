// oclif calls this when the first word is not a command (`nosuch`, or a flag like `--bogus` before
// any command): report it like every other usage error instead of oclif's own format.
import type { Hook } from '@oclif/core';
import { ExitCode, UsageError } from '../../core/errors.js';
import { argvWantsJson, writeError } from '../base-command.js';

const hook: Hook<'command_not_found'> = async function (opts) {
  const id = opts.id.replace(/:/g, ' ');
  const err = id.startsWith('-')
    ? new UsageError(`unknown flag ${id}`, { hint: 'put flags after the command; see `kubectl vibectl-tls --help`' })
    : new UsageError(`unknown command "${id}"`, { hint: 'run `kubectl vibectl-tls --help` to list the commands' });
  writeError(err, { json: argvWantsJson(), verbose: false });
  process.exitCode = ExitCode.Usage;
  return true;
};

export default hook;
