import { NavLink, Outlet } from 'react-router';
import { useLocale, useT } from '../i18n/i18n';
import { useSession } from '../session/session';

/** Header with the navigation the role may use, the language toggle and sign-out; the page below. */
export function Layout() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const { me, can, signOut } = useSession();
  const links = [
    { to: '/', label: t('nav.dashboard'), allowed: can('progress:read'), end: true },
    { to: '/organizations', label: t('nav.organizations'), allowed: can('organizations:read'), end: true },
    { to: '/organizations/new', label: t('nav.register'), allowed: can('organizations:write'), end: true },
    { to: '/imports', label: t('nav.import'), allowed: can('organizations:write'), end: true },
    { to: '/audit', label: t('nav.audit'), allowed: can('audit:read'), end: false },
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <span className="app-title">{t('app.title')}</span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {links
              .filter((link) => link.allowed)
              .map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.end}>
                    {link.label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
        <div className="app-tools">
          <span className="who" title={me?.provinces.length ? me.provinces.join(', ') : undefined}>
            {me?.subject} · {me?.role}
          </span>
          {/* Named by the language it switches to, in that language (what a screen reader announces). */}
          <button
            type="button"
            className="link-button"
            lang={locale === 'vi' ? 'en' : 'vi'}
            title={t('nav.language')}
            onClick={() => setLocale(locale === 'vi' ? 'en' : 'vi')}
          >
            {locale === 'vi' ? 'English' : 'Tiếng Việt'}
          </button>
          <button type="button" className="link-button" onClick={signOut}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
