import { memo, useId, type ReactNode } from 'react';
import type { ConfigForm } from '../client/useConfigForm';
import type { AppStatus, Availability } from '../client/trainerState';
import { PARAMS, type ParamSpec } from '../shared/trainConfig';
import { StepModeButton } from './step/StepModeButton';

interface Props {
  form: ConfigForm;
  status: AppStatus;
  /** Which commands can apply now, and why not (the buttons' titles). */
  can: Availability;
  /** A model exists that training could continue from. */
  canContinue: boolean;
  continueTraining: boolean;
  onContinueChange(value: boolean): void;
  onTrain(): void;
  onPause(): void;
  onResume(): void;
  onStop(): void;
  onReset(): void;
  /** The run at a glance, shown beside Train/Pause/Stop in the run bar (sticky at the bottom of a phone). */
  runProgress?: ReactNode;
  /** Why this configuration cannot train here (it would not fit in memory), or null. */
  refusal?: string | null;
}

const ENUM_LABELS: Record<string, string> = {
  standardize: 'standardise',
  unit: '0 to 1',
  auto: 'auto (fastest)',
  webgl: 'WebGL',
  webgpu: 'WebGPU',
  wasm: 'WASM',
  cpu: 'CPU (plain JS)',
  adam: 'Adam',
  sgd: 'SGD',
  rmsprop: 'RMSprop',
};

/** The hyperparameter form (from the one PARAMS table) and the training buttons. */
export function ControlsPanel(props: Props) {
  const { form, status, can } = props;
  const busy = status === 'training' || status === 'paused';
  const trainWhy = can.train ?? (form.valid ? (props.refusal ?? null) : 'Fix the highlighted settings to train.');
  const canTrain = trainWhy === null;
  const showReason = !!can.train && can.train !== 'Training is running.';
  /** The reason a disabled button gives, as its title and to screen readers. */
  const why = (reason: string | null) => (reason ? { title: reason, 'aria-description': reason } : {});
  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Model and training</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (canTrain) props.onTrain();
        }}
      >
        <div className="run-bar" data-testid="run-bar">
          <div className="buttons run-buttons">
            <button type="submit" data-testid="train-button" disabled={!canTrain} {...why(trainWhy)}>
              Train
            </button>
            <button
              type="button"
              data-testid="pause-button"
              className="secondary"
              disabled={can.pause !== null}
              {...why(can.pause)}
              onClick={status === 'paused' ? props.onResume : props.onPause}
            >
              {status === 'paused' ? 'Resume' : 'Pause'}
            </button>
            <button
              type="button"
              data-testid="stop-button"
              className="secondary"
              disabled={can.stop !== null}
              {...why(can.stop)}
              onClick={props.onStop}
            >
              Stop
            </button>
          </div>
          {/* Why Train is unavailable, else the run at a glance: one slot, so the form below never moves. */}
          <div className="run-status">
            {showReason ? (
              <p className="muted button-reason" data-testid="train-reason">
                {can.train}
              </p>
            ) : (
              props.runProgress
            )}
          </div>
        </div>
        <div className="buttons">
          <button
            type="button"
            data-testid="reset-button"
            className="secondary"
            disabled={can.reset !== null}
            {...why(can.reset ?? 'Back to a fresh start: clears the run and loads the pre-trained model.')}
            onClick={props.onReset}
          >
            Reset
          </button>
          <StepModeButton />
        </div>
        {!form.valid && (
          <p className="form-error" role="alert">
            Fix the highlighted settings to train.
          </p>
        )}
        <ParamFields form={form} busy={busy} />
        <div className="form-footer">
          <button type="button" className="link" onClick={form.resetDefaults} disabled={busy}>
            Reference recipe defaults
          </button>
          <label className="check">
            <input
              type="checkbox"
              checked={props.continueTraining && props.canContinue}
              disabled={!props.canContinue || busy}
              onChange={(e) => props.onContinueChange(e.target.checked)}
              data-testid="continue-checkbox"
            />
            Continue from current weights
          </label>
        </div>
      </form>
    </section>
  );
}

/** The fields of the one hyperparameter table; memoised, so a training update does not re-render the form. */
const ParamFields = memo(function ParamFields({ form, busy }: { form: ConfigForm; busy: boolean }) {
  return (
    <fieldset disabled={busy} className="fields">
      {PARAMS.map((spec) => (
        <Field key={spec.key} spec={spec} form={form} />
      ))}
    </fieldset>
  );
});

function Field({ spec, form }: { spec: ParamSpec; form: ConfigForm }) {
  const id = useId();
  const error = form.errors[spec.key];
  const value = form.raw[spec.key];
  const describedBy = `${id}-help${error ? ` ${id}-err` : ''}`;
  const common = {
    id,
    name: spec.key,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'data-testid': `param-${spec.key}`,
  } as const;
  let input;
  if (spec.kind === 'enum') {
    input = (
      <select {...common} value={value} onChange={(e) => form.setField(spec.key, e.target.value)}>
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {ENUM_LABELS[o] ?? o}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'intList') {
    input = <HiddenLayers id={id} value={value} onChange={(v) => form.setField(spec.key, v)} describedBy={describedBy} invalid={!!error} />;
  } else {
    input = (
      <input
        {...common}
        type="text"
        inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
        value={value}
        onChange={(e) => form.setField(spec.key, e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
    );
  }
  return (
    <div className={`field field-${spec.kind}${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{spec.label}</label>
      {input}
      <small id={`${id}-help`} className="help">
        {spec.help}
      </small>
      {error && (
        <small id={`${id}-err`} className="error" data-testid={`error-${spec.key}`}>
          {error}
        </small>
      )}
    </div>
  );
}

/** Hidden layers as a list of unit counts with add/remove; the text form is "64,64". */
function HiddenLayers(props: { id: string; value: string; onChange(v: string): void; describedBy: string; invalid: boolean }) {
  const layers = props.value.trim() === '' ? [] : props.value.split(',');
  const set = (next: string[]) => props.onChange(next.join(','));
  return (
    <div className="layers" role="group" aria-describedby={props.describedBy} data-testid="param-hiddenUnits">
      <span className="layer-end">784</span>
      {layers.map((units, i) => (
        <span className="layer" key={i}>
          <span aria-hidden="true">→</span>
          <input
            id={i === 0 ? props.id : undefined}
            aria-label={`Units in hidden layer ${i + 1}`}
            aria-invalid={props.invalid || undefined}
            inputMode="numeric"
            value={units.trim()}
            size={4}
            onChange={(e) => set(layers.map((u, j) => (j === i ? e.target.value : u)))}
          />
          <button
            type="button"
            className="icon"
            aria-label={`Remove hidden layer ${i + 1}`}
            onClick={() => set(layers.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
      ))}
      <span aria-hidden="true">→</span>
      <span className="layer-end">10</span>
      <button
        type="button"
        className="icon add"
        aria-label="Add a hidden layer"
        disabled={layers.length >= 8}
        onClick={() => set([...layers, layers.at(-1)?.trim() || '64'])}
      >
        + layer
      </button>
    </div>
  );
}
