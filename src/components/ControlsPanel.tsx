import { memo, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { say, type Words } from '../i18n/message';
import type { ConfigForm } from '../client/useConfigForm';
import type { AppStatus, Availability } from '../client/trainerState';
import { PARAMS, type ParamSpec } from '../shared/trainConfig';
import { errorText } from './paramError';
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
  refusal?: Words | null;
}

/** The hyperparameter form (from the one PARAMS table) and the training buttons. */
export function ControlsPanel(props: Props) {
  const { form, status, can } = props;
  const { t } = useTranslation();
  const busy = status === 'training' || status === 'paused';
  /** A command's reason in the reader's language, by its key (commands.ts REFUSALS). */
  const reason = (action: keyof Availability['keys']) => {
    const key = can.keys[action];
    return key ? t(`refusals.${key}`) : can[action];
  };
  const trainReason = reason('train');
  const trainWhy = trainReason ?? (form.valid ? (props.refusal ? say(t, props.refusal) : null) : t('controls.fixSettings'));
  const canTrain = trainWhy === null;
  const showReason = !!can.keys.train && can.keys.train !== 'training';
  /** The reason a disabled button gives, as its title and to screen readers. */
  const why = (reason: string | null) => (reason ? { title: reason, 'aria-description': reason } : {});
  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <h2 id="controls-title">{t('controls.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (canTrain) props.onTrain();
        }}
      >
        <div className="run-bar" data-testid="run-bar">
          <div className="buttons run-buttons">
            <button type="submit" data-testid="train-button" disabled={!canTrain} {...why(trainWhy)}>
              {t('controls.train')}
            </button>
            <button
              type="button"
              data-testid="pause-button"
              className="secondary"
              disabled={can.pause !== null}
              {...why(reason('pause'))}
              onClick={status === 'paused' ? props.onResume : props.onPause}
            >
              {status === 'paused' ? t('controls.resume') : t('controls.pause')}
            </button>
            <button
              type="button"
              data-testid="stop-button"
              className="secondary"
              disabled={can.stop !== null}
              {...why(reason('stop'))}
              onClick={props.onStop}
            >
              {t('controls.stop')}
            </button>
          </div>
          {/* Why Train is unavailable, else the run at a glance: one slot, so the form below never moves. */}
          <div className="run-status">
            {showReason ? (
              <p className="muted button-reason" data-testid="train-reason">
                {trainReason}
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
            {...why(reason('reset') ?? t('controls.resetWhy'))}
            onClick={props.onReset}
          >
            {t('controls.reset')}
          </button>
          <StepModeButton />
        </div>
        {!form.valid && (
          <p className="form-error" role="alert">
            {t('controls.fixSettings')}
          </p>
        )}
        <ParamFields form={form} busy={busy} />
        <div className="form-footer">
          <button type="button" className="link" onClick={form.resetDefaults} disabled={busy}>
            {t('controls.defaults')}
          </button>
          <label className="check">
            <input
              type="checkbox"
              checked={props.continueTraining && props.canContinue}
              disabled={!props.canContinue || busy}
              onChange={(e) => props.onContinueChange(e.target.checked)}
              data-testid="continue-checkbox"
            />
            {t('controls.continue')}
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
  const { t } = useTranslation();
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
            {t(`controls.enum.${o}`)}
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
      <label htmlFor={id}>{t(`params.${spec.key}.label`)}</label>
      {input}
      <small id={`${id}-help`} className="help">
        {t(`params.${spec.key}.help`)}
      </small>
      {error && (
        <small id={`${id}-err`} className="error" data-testid={`error-${spec.key}`}>
          {errorText(t, spec.key, error)}
        </small>
      )}
    </div>
  );
}

/** Hidden layers as a list of unit counts with add/remove; the text form is "64,64". */
function HiddenLayers(props: { id: string; value: string; onChange(v: string): void; describedBy: string; invalid: boolean }) {
  const { t } = useTranslation();
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
            aria-label={t('controls.unitsIn', { n: i + 1 })}
            aria-invalid={props.invalid || undefined}
            inputMode="numeric"
            value={units.trim()}
            size={4}
            onChange={(e) => set(layers.map((u, j) => (j === i ? e.target.value : u)))}
          />
          <button
            type="button"
            className="icon"
            aria-label={t('controls.removeLayer', { n: i + 1 })}
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
        aria-label={t('controls.addLayer')}
        disabled={layers.length >= 8}
        onClick={() => set([...layers, layers.at(-1)?.trim() || '64'])}
      >
        {t('controls.addLayerShort')}
      </button>
    </div>
  );
}
