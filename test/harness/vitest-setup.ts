// Per-file hooks for the integration project: whatever a test file started is stopped when the file
// ends (even if its own afterAll failed), and the logs are kept when a test failed.
import { afterAll, beforeEach } from 'vitest';
import { markFailed, stopAll } from './processes.js';

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => markFailed());
});

afterAll(async () => {
  await stopAll();
});
