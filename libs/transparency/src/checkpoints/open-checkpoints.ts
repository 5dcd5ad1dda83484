import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { CheckpointStore } from './checkpoint-store';
import { resolveSigningKey } from './signing-key';

/** The settings of app-config.ts this needs (libs/transparency does not import the platform). */
export interface CheckpointSettings {
  dataDir: string;
  transparencyOrigin: string;
  transparencyKey: string | null;
}

/**
 * The checkpoint store of a process, with its signing key resolved
 * (signing-key.ts). A generated key is announced by its verifier key, the
 * public half that auditors keep; the private key is never logged.
 */
export async function openCheckpointStore(pool: Pool, settings: CheckpointSettings, logger: Logger): Promise<CheckpointStore> {
  const { signer, created, file } = await resolveSigningKey({ fromEnvironment: settings.transparencyKey, dataDir: settings.dataDir, origin: settings.transparencyOrigin });
  if (created) logger.info({ file, verifierKey: signer.verifierKey }, 'checkpoint signing key generated (keep a copy: checkpoints signed with it verify only with it)');
  return new CheckpointStore(pool, signer);
}
