// The setup wizard: a header with the cluster context, the answers so far, and the current
// question of the decision tree (src/core/setup/decision-tree.ts). Esc goes back one question and
// restores the answers as they were; Ctrl+C leaves without side effects (nothing is applied here).
import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { SetupAnswers, SetupFacts } from '../../core/setup/answers.js';
import { answerText, nextNode, setAnswer, type TreeNode } from '../../core/setup/decision-tree.js';
import { Select } from './Select.js';
import { TextPrompt } from './TextPrompt.js';
import { usePalette } from './theme.js';

export interface SetupWizardProps {
  facts: SetupFacts;
  /** Context lines shown on top: [label, value]. */
  header: Array<[string, string]>;
  /** Answers already given by flags; those questions are not asked. */
  initial: SetupAnswers;
  onDone: (answers: SetupAnswers) => void;
  onInterrupt: () => void;
}

interface Step {
  node: TreeNode;
  before: SetupAnswers;
}

export function SetupWizard(props: SetupWizardProps) {
  const p = usePalette();
  const [answers, setAnswers] = useState<SetupAnswers>(props.initial);
  const [history, setHistory] = useState<Step[]>([]);
  const node = nextNode(answers, props.facts);
  // A key typed while React swaps one question for the next can reach the old question's handler;
  // only the question on screen may answer.
  const live = useRef<string | undefined>(undefined);
  live.current = node?.id;

  const submit = (current: TreeNode, raw: string) => {
    if (live.current !== current.id) return;
    live.current = undefined;
    const next = setAnswer(answers, current, raw);
    setHistory((h) => [...h, { node: current, before: answers }]);
    setAnswers(next);
    if (!nextNode(next, props.facts)) props.onDone(next);
  };
  const back = () => {
    const last = history[history.length - 1];
    if (!last || live.current === undefined) return; // first question: nothing to go back to (Ctrl+C leaves)
    live.current = undefined;
    setHistory(history.slice(0, -1));
    setAnswers(last.before);
  };

  const width = Math.max(...props.header.map(([k]) => k.length));
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" borderStyle="round" paddingX={1}>
        <Text>{p.bold('vibectl-tls setup')}</Text>
        {props.header.map(([k, v]) => (
          <Text key={k}>{`${p.dim(k.padEnd(width))}  ${v}`}</Text>
        ))}
      </Box>
      {history.map((s) => (
        <Text key={s.node.id}>{`${p.ok('✔')} ${s.node.title} ${p.dim('·')} ${answerText(historyAnswer(history, answers, s), s.node.id) ?? ''}`}</Text>
      ))}
      {node ? <Question key={`${node.id}:${history.length}`} node={node} answers={answers} facts={props.facts} onSubmit={(v) => submit(node, v)} onBack={back} onInterrupt={props.onInterrupt} /> : null}
    </Box>
  );
}

/** The answers right after step s (the `before` of the next step, or the current answers). */
function historyAnswer(history: Step[], current: SetupAnswers, s: Step): SetupAnswers {
  const i = history.indexOf(s);
  return history[i + 1]?.before ?? current;
}

function Question(props: { node: TreeNode; answers: SetupAnswers; facts: SetupFacts; onSubmit: (v: string) => void; onBack: () => void; onInterrupt: () => void }) {
  const { node, answers, facts } = props;
  const p = usePalette();
  // Children's input handlers are attached in their effects, which run before this one: the flag
  // line appears once the question really listens (tests and scripted terminals wait for it).
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const flagLine = <Text>{ready ? p.dim(`  in scripts: ${node.flag}`) : ' '}</Text>;
  const why = node.why;
  if (node.kind === 'select') {
    const options = node.choices(answers, facts).map((c) => (c.disabled ? { value: c.value, label: c.label, disabled: c.disabled } : { value: c.value, label: c.label }));
    return (
      <Box flexDirection="column">
        <Select<string> title={node.title} why={why} options={options} defaultValue={node.preselect(answers, facts)} onSubmit={props.onSubmit} onBack={props.onBack} onInterrupt={props.onInterrupt} />
        {flagLine}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
    <TextPrompt
      title={node.title}
      why={why}
      placeholder={node.placeholder}
      defaultValue={node.preselect(answers, facts)}
      validate={(v) => node.validate(v, answers)}
      onSubmit={props.onSubmit}
      onBack={props.onBack}
      onInterrupt={props.onInterrupt}
    />
    {flagLine}
    </Box>
  );
}
