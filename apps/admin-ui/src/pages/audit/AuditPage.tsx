import { useState } from 'react';
import { useT } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { AuditTrail } from './AuditTrail';
import { messages } from './messages';
import { TransparencyPanel } from './TransparencyPanel';
import { VerifyPanel } from './VerifyPanel';

/**
 * Audit (route `/audit`, roles with `audit:read`): the integrity check of the
 * hash chains (everything or one stream) and the audit trail of who recorded
 * what, when. A row of the trail can ask the check for its own stream. The
 * verifiable log (signed checkpoints, the consistency check) sits between them.
 */
export function AuditPage() {
  const t = useT(messages);
  const { can } = useSession();
  const [request, setRequest] = useState<{ streamId: string; nonce: number } | null>(null);
  if (!can('audit:read')) {
    return (
      <>
        <h1>{t('heading')}</h1>
        <p className="problem" role="alert">
          {t('forbidden')}
        </p>
      </>
    );
  }
  return (
    <div className="audit">
      <h1>{t('heading')}</h1>
      <p className="hint audit-intro">{t('intro')}</p>
      <VerifyPanel request={request} />
      <TransparencyPanel />
      <AuditTrail onVerifyStream={(streamId) => setRequest((previous) => ({ streamId, nonce: (previous?.nonce ?? 0) + 1 }))} />
    </div>
  );
}
