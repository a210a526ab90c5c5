import { Link } from '../../app/router.tsx';
import { useSession } from '../../app/use-session.ts';
import { AccessDenied } from '../../components/AccessDenied.tsx';
import { Loading } from '../../components/status.tsx';
import { AccessSection } from './AccessSection.tsx';
import { AuditSection } from './AuditSection.tsx';
import { GroupsSection } from './GroupsSection.tsx';
import { UsersSection } from './UsersSection.tsx';
import './admin.css';

const SECTIONS = [
  ['users', 'Users'],
  ['groups', 'Groups'],
  ['access', 'Workspace access'],
  ['audit', 'Audit log'],
] as const;

/** Server administration (server admins only): users, groups, workspace roles and grants, the audit log. */
export default function AdminPage({ section }: { section: string }) {
  const session = useSession();
  if (!session) return <Loading />;
  if (!session.auth_enabled)
    return (
      <section className="page">
        <h1>Administration</h1>
        <p>Authentication is off on this server: there are no users, groups or grants to manage.</p>
      </section>
    );
  if (!session.user?.is_admin)
    return (
      <section className="page">
        <h1>Administration</h1>
        <AccessDenied what="These pages are for server admins only." />
      </section>
    );
  return (
    <section className="page">
      <h1>Administration</h1>
      <nav aria-label="Administration" className="admin-tabs">
        {SECTIONS.map(([key, label]) => (
          <Link key={key} to={`/admin/${key}`} aria-current={key === section ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {section === 'users' ? (
        <UsersSection self={session.user.username} />
      ) : section === 'groups' ? (
        <GroupsSection />
      ) : section === 'access' ? (
        <AccessSection />
      ) : section === 'audit' ? (
        <AuditSection />
      ) : (
        <p>No such section.</p>
      )}
    </section>
  );
}
