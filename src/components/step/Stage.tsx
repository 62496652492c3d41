/** One stage of the step view: a section with the test contract's `step-stage`, its title, its plain words and its formulas. */
import type { ReactNode } from 'react';
import { Formula } from './Formula';

export type StageName = 'forward' | 'loss' | 'backward' | 'update';

interface Props {
  stage: StageName;
  title: string;
  text: string;
  formulas: readonly string[];
  children: ReactNode;
}

export function Stage({ stage, title, text, formulas, children }: Props) {
  return (
    <section
      className="step-stage"
      data-testid="step-stage"
      data-stage={stage}
      id={`step-stage-${stage}`}
      aria-labelledby={`step-stage-${stage}-title`}
      tabIndex={-1}
    >
      <h3 id={`step-stage-${stage}-title`}>{title}</h3>
      <p className="step-words">{text}</p>
      <div className="step-formulas">
        {formulas.map((tex) => (
          <Formula key={tex} tex={tex} display />
        ))}
      </div>
      {children}
    </section>
  );
}
