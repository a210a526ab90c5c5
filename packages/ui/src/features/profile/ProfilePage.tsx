import { Link } from '../../app/router.tsx';
import { useSession } from '../../app/use-session.ts';
import { Loading } from '../../components/status.tsx';
import './profile.css';
import { TokensSection } from './TokensSection.tsx';

/** The signed-in user: who they are, their groups, and their API tokens. */
export default function ProfilePage() {
  const session = useSession();
  if (!session) return <Loading />;
  const user = session.user;
  if (!session.auth_enabled || !user)
    return (
      <section className="page">
        <h1>Profile</h1>
        <p>
          Authentication is off on this server: there are no accounts or API tokens. Writes carry the name set in
          “Acting as” at the top.
        </p>
      </section>
    );
  return (
    <section className="page">
      <div className="page-header">
        <h1>{user.username}</h1>
        <span className="muted">
          {user.kind === 'service' ? 'service account' : 'user'}
          {user.is_admin ? ' · server admin' : ''}
        </span>
        {user.is_admin ? <Link to="/admin/users">Administration</Link> : null}
      </div>
      <h2>Groups</h2>
      {user.groups.length === 0 ? (
        <p className="muted">You are in no group.</p>
      ) : (
        <p>
          {user.groups.map((g) => (
            <span key={g} className="chip">
              {g}
            </span>
          ))}
        </p>
      )}
      <TokensSection />
    </section>
  );
}
