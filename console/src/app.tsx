import { api } from './api/client';
import { AccountContext, consoleUserId } from './account-context';
import { NotFoundPage } from './pages/not-found';
import { DeadLettersPage } from './pages/dead-letters';
import { EnrollPage } from './pages/enroll';
import { EnrollmentPage } from './pages/enrollment';
import { EnrollmentsPage } from './pages/enrollments';
import { SequencePage } from './pages/sequence';
import { SequencesPage } from './pages/sequences';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { WhyPage } from './pages/why';
import { href, useRoute, type Route } from './router';
import { session, useSession } from './session';
import { useResource } from './use-resource';

const SECTIONS = [
  { path: 'enrollments', label: 'Enrollments', adminOnly: false },
  { path: 'enroll', label: 'Enroll', adminOnly: false },
  { path: 'why', label: 'Why', adminOnly: false },
  { path: 'sequences', label: 'Sequences', adminOnly: false },
  { path: 'settings', label: 'Settings', adminOnly: true },
  { path: 'dead-letters', label: 'Dead letters', adminOnly: true },
] as const;

function page(route: Route) {
  const [section = 'enrollments', id] = route.path;
  switch (section) {
    case 'enrollments':
      return id ? <EnrollmentPage id={id} /> : <EnrollmentsPage params={route.params} />;
    case 'enroll':
      return <EnrollPage params={route.params} />;
    case 'why':
      return <WhyPage params={route.params} />;
    case 'sequences':
      return id ? <SequencePage id={id} params={route.params} /> : <SequencesPage />;
    case 'settings':
      return <SettingsPage />;
    case 'dead-letters':
      return <DeadLettersPage params={route.params} />;
    default:
      return <NotFoundPage />;
  }
}

function Console() {
  const route = useRoute();
  const [account, refresh] = useResource(() => api.account(), []);
  const known = account.status === 'ready' ? account.data : null;
  const current = route.path[0] ?? 'enrollments';
  const sections = SECTIONS.filter((s) => !s.adminOnly || known?.caller.scope !== 'enroll');
  return (
    <AccountContext.Provider value={{ account: known, refresh, userId: consoleUserId(known) }}>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <div class="shell">
        <header class="top-bar">
          <a class="brand" href={href(['enrollments'])}>
            Cadence
          </a>
          <div class="who" aria-label="Signed in as">
            {known ? (
              <>
                <span class="who-name">{known.name}</span>
                <span class="badge scope">{known.caller.scope}</span>
                <span class="muted who-key">{known.caller.name}</span>
              </>
            ) : null}
          </div>
          <button type="button" class="button secondary" onClick={() => session.signOut()}>
            Sign out
          </button>
        </header>
        <nav class="side-nav" aria-label="Sections">
          <ul>
            {sections.map((section) => (
              <li key={section.path}>
                <a
                  href={href([section.path])}
                  aria-current={current === section.path ? 'page' : undefined}
                  class={current === section.path ? 'active' : undefined}
                >
                  {section.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main class="content" id="main" tabIndex={-1}>
          {page(route)}
        </main>
      </div>
    </AccountContext.Provider>
  );
}

/** The skip link moves focus without touching the hash (which is the router's). */
function skipToMain(event: Event) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

export function App() {
  const key = useSession();
  return key ? <Console key={session.started()} /> : <SignInPage />;
}
