/**
 * Type-level checks of api/types.ts, run by the UI's typecheck (`tsc -p apps/admin-ui/tsconfig.json`, part
 * of `npm test`); nothing imports this file, so it is not in the bundle. Each `@ts-expect-error` fails the
 * typecheck if the line below it compiles, that is if a server type has weakened to a plain string again.
 */
import type { Permission } from '@ktt/auth/principal';
import type { MetricName, OrganizationAsOf, OrganizationKind, TargetProgress } from './types';

const metric: MetricName = 'cooperatives';
// @ts-expect-error MetricName is the domain's union of its 19 metrics, not any string.
const noSuchMetric: MetricName = 'no_such_metric';
// @ts-expect-error a target's metric is a MetricName too.
const targetMetric: TargetProgress['metric'] = 'no_such_metric';
// @ts-expect-error the kinds are the domain's.
const noSuchKind: OrganizationKind = 'company';
// @ts-expect-error the state answer is the read model's (its status is the domain's union).
const noSuchStatus: OrganizationAsOf['status'] = 'closed';
// @ts-expect-error permissions are the server's table's.
const noSuchPermission: Permission = 'everything';
