import { createHashRouter, RouterProvider } from 'react-router';
import { Layout } from './layout/Layout';
import { AuditPage } from './pages/audit/AuditPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { ImportPage } from './pages/imports/ImportPage';
import { OrganizationPage } from './pages/organizations/OrganizationPage';
import { OrganizationsPage } from './pages/organizations/OrganizationsPage';
import { RegisterPage } from './pages/organizations/RegisterPage';
import { SignInPage } from './pages/sign-in/SignInPage';
import { useSession } from './session/session';

/** Hash routes (`/#/organizations/…`): the api serves only index.html and its assets at `/`. */
const router = createHashRouter([
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'organizations', element: <OrganizationsPage /> },
      { path: 'organizations/new', element: <RegisterPage /> },
      { path: 'organizations/:id', element: <OrganizationPage /> },
      { path: 'imports', element: <ImportPage /> },
      { path: 'audit', element: <AuditPage /> },
    ],
  },
]);

export function App() {
  const { me } = useSession();
  return me ? <RouterProvider router={router} /> : <SignInPage />;
}
