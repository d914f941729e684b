import { describe, expect, it } from 'vitest';
import { stepsToRun, transitionBundle } from './rotation.js';

describe('stepsToRun', () => {
  it('runs an intermediate rotation in one go', () => {
    expect(stepsToRun({ kind: 'intermediate', all: false })).toEqual(['prepare', 'reissue', 'finish']);
  });
  it('pauses a root rotation after every step unless --all', () => {
    expect(stepsToRun({ kind: 'root', all: false })).toEqual(['prepare']);
    expect(stepsToRun({ kind: 'root', done: 'prepared', all: false })).toEqual(['reissue']);
    expect(stepsToRun({ kind: 'root', done: 'reissued', all: false })).toEqual(['finish']);
    expect(stepsToRun({ kind: 'root', done: 'prepared', all: true })).toEqual(['reissue', 'finish']);
  });
  it('builds a transition bundle of roots then intermediates without duplicates', () => {
    const b = transitionBundle({ roots: ['NEWROOT', 'OLDROOT', ''], intermediates: ['NEWINT', 'NEWINT'] });
    expect(b).toBe('NEWROOT\nOLDROOT\nNEWINT\n');
  });
});
