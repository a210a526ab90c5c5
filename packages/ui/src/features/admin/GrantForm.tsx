import { useId, useState } from 'react';
import { type Permission, setGrant } from '../../api/identity.ts';
import { ErrorBox } from '../../components/status.tsx';
import { NO_PRINCIPAL, PrincipalFields, principalOf } from './PrincipalFields.tsx';
import { useAdminMutation } from './queries.ts';

const PERMISSIONS: readonly Permission[] = ['READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS'];

/**
 * A permission on one experiment or registered model for a user or a group (`PUT /grants`); it
 * wins over workspace roles. NO_PERMISSIONS takes access away.
 */
export function GrantForm() {
  const id = useId();
  const [who, setWho] = useState(NO_PRINCIPAL);
  const [on, setOn] = useState<'experiment' | 'model'>('experiment');
  const [target, setTarget] = useState('');
  const [permission, setPermission] = useState<Permission>('READ');
  const [done, setDone] = useState('');
  const grant = useAdminMutation(() =>
    setGrant(
      principalOf(who),
      on === 'experiment' ? { experiment_id: target.trim() } : { registered_model: target.trim() },
      permission,
    ),
  );
  return (
    <form
      className="toolbar"
      aria-label="Grant a permission"
      onSubmit={(e) => {
        e.preventDefault();
        setDone('');
        const what = `${permission} on ${on === 'experiment' ? 'experiment' : 'model'} ${target.trim()} for ${who.kind} ${who.name}`;
        grant.mutate(undefined, { onSuccess: () => setDone(`Granted ${what}.`) });
      }}
    >
      <PrincipalFields id={`${id}-who`} value={who} onChange={setWho} />
      <div className="field">
        <label htmlFor={`${id}-on`}>On</label>
        <select id={`${id}-on`} value={on} onChange={(e) => setOn(e.target.value as 'experiment' | 'model')}>
          <option value="experiment">experiment (id)</option>
          <option value="model">registered model (name)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-target`}>{on === 'experiment' ? 'Experiment id' : 'Model name'}</label>
        <input id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-perm`}>Permission</label>
        <select id={`${id}-perm`} value={permission} onChange={(e) => setPermission(e.target.value as Permission)}>
          {PERMISSIONS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="primary" disabled={!who.name || !target.trim() || grant.isPending}>
        Grant
      </button>
      {done ? <p role="status">{done}</p> : null}
      <ErrorBox error={grant.error} title="Could not grant:" />
    </form>
  );
}
