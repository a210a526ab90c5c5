import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { createAssessment, type TraceAssessment } from '../../api/traces.ts';
import { ErrorBox } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value, source and rationale out of MLflow's Assessment object. */
function describe(a: TraceAssessment): { value: string; source: string; rationale: string } {
  const c = isObject(a.content) ? a.content : {};
  const body = isObject(c.feedback) ? c.feedback : isObject(c.expectation) ? c.expectation : {};
  const raw = body.value ?? body.serialized_value ?? (isObject(body.error) ? body.error.error_message : undefined);
  const source = isObject(c.source) ? [c.source.source_type, c.source.source_id].filter(Boolean).join(': ') : '';
  return {
    value: raw === undefined ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw),
    source,
    rationale: typeof c.rationale === 'string' ? c.rationale : '',
  };
}

/** Typed text as JSON where it is JSON (`true`, `3`, `{"a":1}`), else the text itself. */
const parseValue = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** A trace's feedback and expectations, and a form to add one (MLflow 3's assessments API). */
export function TraceAssessments({
  traceId,
  assessments,
  spanId,
}: {
  traceId: string;
  assessments: TraceAssessment[];
  spanId?: string;
}) {
  const id = useId();
  const user = useCurrentUser();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'feedback' | 'expectation'>('feedback');
  const [value, setValue] = useState('');
  const [rationale, setRationale] = useState('');
  const add = useMutation({
    mutationFn: () => createAssessment(traceId, { name, kind, value: parseValue(value), rationale, spanId, user }),
    onSuccess: () => {
      setName('');
      setValue('');
      setRationale('');
      void client.invalidateQueries({ queryKey: ['trace', traceId] });
      void client.invalidateQueries({ queryKey: ['traces'] });
    },
  });
  return (
    <section className="trace-assessments" aria-label="Assessments">
      <h2>Assessments</h2>
      {assessments.length === 0 ? (
        <p className="muted">No feedback or expectations yet.</p>
      ) : (
        <table className="data" aria-label="Assessments">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              <th scope="col">Rationale</th>
            </tr>
          </thead>
          <tbody>
            {assessments.map((a) => {
              const d = describe(a);
              return (
                <tr
                  key={a.assessment_id}
                  data-assessment-id={a.assessment_id}
                  className={a.valid ? undefined : 'muted'}
                >
                  <td>
                    {a.name}
                    {a.valid ? '' : ' (overridden)'}
                  </td>
                  <td>{a.kind}</td>
                  <td className="mono">{d.value}</td>
                  <td>{d.source}</td>
                  <td>{d.rationale}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {user ? (
        <form
          className="toolbar assessment-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim() && value.trim()) add.mutate();
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-name`}>Assessment name</label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="correctness" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-kind`}>Kind</label>
            <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              <option value="feedback">Feedback</option>
              <option value="expectation">Expectation</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-value`}>Value</label>
            <input id={`${id}-value`} value={value} onChange={(e) => setValue(e.target.value)} placeholder="true" />
          </div>
          <div className="field grow">
            <label htmlFor={`${id}-rationale`}>Rationale</label>
            <input id={`${id}-rationale`} value={rationale} onChange={(e) => setRationale(e.target.value)} />
          </div>
          <button type="submit" disabled={add.isPending || !name.trim() || !value.trim()}>
            Add assessment
          </button>
        </form>
      ) : (
        <p className="muted">Set who you are acting as (top bar) to add feedback.</p>
      )}
      <ErrorBox error={add.error} title="Could not add the assessment." />
    </section>
  );
}
