import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MODEL_VERSION_STAGES } from '@trove/protocol';
import { type ReactNode, useId, useState } from 'react';
import { deleteAlias, setAlias, transitionStage } from '../../api/registry.ts';
import { createRequest, type NewRequest } from '../../api/trove.ts';
import type { ModelVersion } from '../../api/types.ts';
import { ErrorBox } from '../../components/status.tsx';
import { NeedsUser, useCurrentUser } from '../../components/UserField.tsx';
import { isPolicyRefusal } from './policy-refusal.ts';
import { invalidateModel, usePolicy } from './queries.ts';
import { describeRequest } from './ReviewPanel.tsx';
import { requiredApprovals } from './review-policy.ts';

/**
 * Stage and alias changes of one version. A target the model's review policy protects gets a
 * review request instead of the direct change (the server would refuse it); a refusal that comes
 * anyway (the policy changed meanwhile) is shown with the offer to request it.
 */
export function StageAliasControls({ name, version }: { name: string; version: ModelVersion }) {
  const user = useCurrentUser();
  const rules = usePolicy(name).data?.policy.rules ?? [];
  return (
    <div>
      <NeedsUser user={user} />
      <div className="registry-controls">
        <StageForm name={name} version={version} rules={rules} />
        <AliasForm name={name} version={version} rules={rules} />
      </div>
    </div>
  );
}

type Rules = Parameters<typeof requiredApprovals>[0];

function StageForm({ name, version, rules }: { name: string; version: ModelVersion; rules: Rules }) {
  const current = version.current_stage ?? 'None';
  const [stage, setStage] = useState(current === 'Staging' ? 'Production' : 'Staging');
  const [archive, setArchive] = useState(false);
  const ids = { stage: useId(), archive: useId() };
  const archivable = stage === 'Staging' || stage === 'Production';
  const needed = requiredApprovals(rules, 'stage', stage);
  return (
    <ChangeForm
      label="Change stage"
      name={name}
      version={version.version}
      needed={needed}
      what={`Moving to ${stage}`}
      direct={() => transitionStage(name, version.version, stage, archive && archivable)}
      request={{ stage, archive_existing_versions: archive && archivable }}
      disabled={stage === current}
    >
      <div className="field">
        <label htmlFor={ids.stage}>New stage</label>
        <select id={ids.stage} value={stage} onChange={(e) => setStage(e.target.value)}>
          {MODEL_VERSION_STAGES.map((s) => (
            <option key={s} value={s}>
              {s}
              {s === current ? ' (current)' : ''}
            </option>
          ))}
        </select>
      </div>
      {archivable ? (
        <label className="check" htmlFor={ids.archive}>
          <input id={ids.archive} type="checkbox" checked={archive} onChange={(e) => setArchive(e.target.checked)} />{' '}
          Archive other versions in {stage}
        </label>
      ) : null}
    </ChangeForm>
  );
}

function AliasForm({ name, version, rules }: { name: string; version: ModelVersion; rules: Rules }) {
  const [alias, setAliasText] = useState('');
  const id = useId();
  const target = alias.trim();
  return (
    <div>
      <ChangeForm
        label="Set alias"
        name={name}
        version={version.version}
        needed={target ? requiredApprovals(rules, 'alias', target) : 0}
        what={`Setting @${target}`}
        direct={() => setAlias(name, target, version.version)}
        request={{ alias: target }}
        disabled={!target}
      >
        <div className="field">
          <label htmlFor={id}>Alias</label>
          <input id={id} value={alias} onChange={(e) => setAliasText(e.target.value)} placeholder="champion" />
        </div>
      </ChangeForm>
      {(version.aliases ?? []).length > 0 ? (
        <ul className="alias-list" aria-label="Aliases of this version">
          {(version.aliases ?? []).map((a) => (
            <RemoveAlias key={a} name={name} version={version.version} alias={a} rules={rules} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function RemoveAlias({ name, version, alias, rules }: { name: string; version: string; alias: string; rules: Rules }) {
  return (
    <li>
      <span className="chip">@{alias}</span>
      <ChangeForm
        label={`Remove @${alias}`}
        name={name}
        version={version}
        needed={requiredApprovals(rules, 'alias', alias)}
        what={`Removing @${alias}`}
        direct={() => deleteAlias(name, alias)}
        request={{ alias, remove_alias: true }}
        compact
      />
    </li>
  );
}

interface ChangeFormProps {
  /** The form's name and its direct-change button. */
  label: string;
  name: string;
  version: string;
  /** Approvals the policy asks for this change (0: change directly). */
  needed: number;
  /** The change in words, for the policy note: "Moving to Production". */
  what: string;
  direct: () => Promise<unknown>;
  request: NewRequest;
  disabled?: boolean;
  compact?: boolean;
  children?: ReactNode;
}

function ChangeForm({
  label,
  name,
  version,
  needed,
  what,
  direct,
  request,
  disabled,
  compact,
  children,
}: ChangeFormProps) {
  const user = useCurrentUser();
  const qc = useQueryClient();
  const [comment, setComment] = useState('');
  // The outcome of the change named `what` then; a new choice makes it stale.
  const [outcome, setOutcome] = useState({ what: '', text: '' });
  const setDone = (text: string) => setOutcome({ what, text });
  const done = outcome.what === what ? outcome.text : '';
  const commentId = useId();
  const apply = useMutation({
    mutationFn: direct,
    onSuccess: () => {
      setDone(`${label}: done.`);
      invalidateModel(qc, name);
    },
    onError: (e) => {
      if (isPolicyRefusal(e)) void qc.invalidateQueries({ queryKey: ['review-policy', name] });
    },
  });
  const ask = useMutation({
    mutationFn: () => createRequest(name, version, { ...request, comment: comment.trim() || undefined }),
    onSuccess: (r) => {
      setComment('');
      setDone(`Requested ${describeRequest(r.request)}; it waits for approval.`);
      apply.reset();
      invalidateModel(qc, name);
    },
  });
  const refused = isPolicyRefusal(apply.error);
  const viaReview = needed > 0 || refused;
  return (
    <form
      className={compact ? 'inline-form' : 'toolbar'}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        setDone('');
        if (viaReview) ask.mutate();
        else apply.mutate();
      }}
    >
      {children}
      {viaReview ? (
        <>
          <p className="policy-note">
            {needed > 0
              ? `${what} needs ${needed} approval${needed === 1 ? '' : 's'} under this model's review policy: it is sent as a review request.`
              : 'The review policy refused the direct change: request it instead.'}
          </p>
          <div className="field grow">
            <label htmlFor={commentId}>Request comment</label>
            <input id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
        </>
      ) : null}
      <button
        type="submit"
        className={compact ? undefined : 'primary'}
        disabled={!user || disabled || apply.isPending || ask.isPending}
      >
        {viaReview ? (compact ? `Request removal of @${request.alias}` : 'Request review') : label}
      </button>
      {refused ? (
        // Not an access problem (ErrorBox would say so for a 403): the policy wants a review.
        <div role="alert" className="error-box">
          <strong>Refused by the review policy.</strong> {apply.error?.message}
        </div>
      ) : (
        <ErrorBox error={apply.error} title="Could not change it." />
      )}
      <ErrorBox error={ask.error} title="Could not create the request." />
      {done ? (
        <p role="status" className="muted">
          {done}
        </p>
      ) : null}
    </form>
  );
}
