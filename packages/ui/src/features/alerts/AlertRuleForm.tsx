import { type FormEvent, useState } from 'react';
import type { AlertRule, AlertRuleInput } from '../../api/alerts.ts';
import { ErrorBox } from '../../components/status.tsx';

const KINDS = [
  ['threshold', 'Threshold'],
  ['nan_inf', 'NaN or Infinity'],
  ['no_improvement', 'No improvement'],
  ['stalled', 'Stalled run'],
  ['run_failed', 'Run failed'],
] as const;

interface Draft {
  name: string;
  kind: AlertRuleInput['kind'];
  metric_key: string;
  op: string;
  value: string;
  mode: string;
  steps: string;
  minutes: string;
}

const draftOf = (r?: AlertRule): Draft => ({
  name: r?.name ?? '',
  kind: r?.kind ?? 'threshold',
  metric_key: r?.metric_key ?? '',
  op: r?.op ?? '>',
  value: r?.value === undefined ? '' : String(r.value),
  mode: r?.mode ?? 'min',
  steps: r?.steps === undefined ? '' : String(r.steps),
  minutes: r?.minutes === undefined ? '' : String(r.minutes),
});

/** The fields of the chosen kind only; numbers as typed (the server says what is wrong). */
function inputOf(d: Draft): AlertRuleInput {
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const out: AlertRuleInput = { name: d.name, kind: d.kind };
  if (d.kind === 'threshold' || d.kind === 'nan_inf' || d.kind === 'no_improvement') out.metric_key = d.metric_key;
  if (d.kind === 'threshold') Object.assign(out, { op: d.op, value: num(d.value) });
  if (d.kind === 'no_improvement') Object.assign(out, { mode: d.mode, steps: num(d.steps) });
  if (d.kind === 'stalled') out.minutes = num(d.minutes);
  return out;
}

/** Creates a rule, or edits `editing`; the server validates (its 400 shows under the form). */
export function AlertRuleForm({
  editing,
  onSubmit,
  onCancel,
  pending,
  error,
}: {
  editing?: AlertRule;
  onSubmit: (rule: AlertRuleInput) => void;
  onCancel?: () => void;
  pending: boolean;
  error: unknown;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(inputOf(draft));
  };
  const k = draft.kind;
  return (
    <form className="alert-rule-form" aria-label={editing ? 'Edit alert rule' : 'New alert rule'} onSubmit={submit}>
      <label>
        Name
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} required />
      </label>
      <label>
        Kind
        <select value={k} onChange={(e) => set({ kind: e.target.value as Draft['kind'] })}>
          {KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {(k === 'threshold' || k === 'nan_inf' || k === 'no_improvement') && (
        <label>
          Metric
          <input value={draft.metric_key} onChange={(e) => set({ metric_key: e.target.value })} placeholder="loss" />
        </label>
      )}
      {k === 'threshold' && (
        <>
          <label>
            Operator
            <select value={draft.op} onChange={(e) => set({ op: e.target.value })}>
              {['>', '>=', '<', '<='].map((op) => (
                <option key={op}>{op}</option>
              ))}
            </select>
          </label>
          <label>
            Value
            <input inputMode="decimal" value={draft.value} onChange={(e) => set({ value: e.target.value })} />
          </label>
        </>
      )}
      {k === 'no_improvement' && (
        <>
          <label>
            Best is
            <select value={draft.mode} onChange={(e) => set({ mode: e.target.value })}>
              <option value="min">lowest</option>
              <option value="max">highest</option>
            </select>
          </label>
          <label>
            Steps
            <input inputMode="numeric" value={draft.steps} onChange={(e) => set({ steps: e.target.value })} />
          </label>
        </>
      )}
      {k === 'stalled' && (
        <label>
          Minutes
          <input inputMode="numeric" value={draft.minutes} onChange={(e) => set({ minutes: e.target.value })} />
        </label>
      )}
      <button type="submit" disabled={pending}>
        {editing ? 'Save rule' : 'Create rule'}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
      <ErrorBox error={error} title="The rule was refused:" />
    </form>
  );
}
