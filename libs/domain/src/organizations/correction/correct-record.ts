import { DomainError } from '../../common/domain-error';
import { LIMITS } from '../../common/limits';
import { invalid, requireId, requireText } from '../../common/validation';
import type { DecisionContext } from '../decision-context';
import type { CorrectRecord, OrganizationCommand } from '../organization.commands';
import type { OrganizationEvent, RecordCorrected } from '../organization.events';
import { evolve, type OrganizationHistory } from '../organization.history';
import { requireHistory } from '../organization.guards';
import { PROFILE_FLAG_NAMES } from '../organization.types';

/** The command that records each kind of fact: a replacement is decided as that command would be. */
const COMMAND_FOR: Record<RecordCorrected['data']['retractedType'], OrganizationCommand['type']> = {
  OrganizationRated: 'RateOrganization',
  MemberCountChanged: 'ChangeMemberCount',
  ProfileChanged: 'ChangeProfile',
  OrganizationSuspended: 'SuspendOrganization',
  OrganizationFoundDormant: 'FindOrganizationDormant',
  OrganizationResumed: 'ResumeOrganization',
  OrganizationDissolved: 'DissolveOrganization',
  CooperativeJoinedUnion: 'JoinUnion',
  CooperativeLeftUnion: 'LeaveUnion',
  OrganizationRelocated: 'RelocateOrganization',
};

/** The fields each replacement may carry: those of its command's HTTP body (exported for the specs that build replacements). */
export const CORRECTION_REPLACEMENT_FIELDS: Record<RecordCorrected['data']['retractedType'], readonly string[]> = {
  OrganizationRated: ['rating', 'year', 'ratedOn'],
  MemberCountChanged: ['memberCount', 'effectiveOn'],
  ProfileChanged: ['effectiveOn', 'managers', ...PROFILE_FLAG_NAMES],
  OrganizationSuspended: ['effectiveOn', 'reason', 'until', 'noticeRef'],
  OrganizationFoundDormant: ['effectiveOn', 'finding'],
  OrganizationResumed: ['effectiveOn'],
  OrganizationDissolved: ['effectiveOn', 'mode', 'decisionRef'],
  CooperativeJoinedUnion: ['cooperativeId', 'effectiveOn'],
  CooperativeLeftUnion: ['cooperativeId', 'effectiveOn'],
  OrganizationRelocated: ['provinceCode', 'formerProvinceCode', 'effectiveOn'],
};

/**
 * Retracts one recorded fact, optionally with the right one in its place.
 * The registration cannot be retracted (the organization's identity rests on
 * it), nor a correction; each fact is retracted at most once. The replacement
 * passes the same rules as a new record, judged against the history without
 * the retracted fact.
 */
export function decideCorrection(
  command: CorrectRecord,
  history: OrganizationHistory | null,
  context: DecisionContext,
  decideReplacement: (command: OrganizationCommand, history: OrganizationHistory, context: DecisionContext) => OrganizationEvent[],
): RecordCorrected[] {
  const reason = requireText(command.reason, 'reason', { max: LIMITS.text.correctionReason, multiline: true });
  requireId(command.retractedEventId, 'eventId');
  const h = requireHistory(history, command.organizationId);
  const target = h.recorded[command.retractedRevision];
  if (!target) throw DomainError.notFound('EVENT_NOT_FOUND', `no event ${command.retractedEventId} in the history of ${h.id}`);
  if (target.type === 'OrganizationRegistered' || target.type === 'RecordCorrected') {
    throw DomainError.conflict('NOT_RETRACTABLE', `${target.type} cannot be retracted`);
  }
  if (h.retracted.has(command.retractedRevision)) {
    throw DomainError.conflict('ALREADY_RETRACTED', `event ${command.retractedEventId} was retracted already`);
  }
  const retraction = (replacement: RecordCorrected['data']['replacement']): RecordCorrected => ({
    type: 'RecordCorrected',
    data: {
      organizationId: h.id,
      effectiveOn: target.data.effectiveOn,
      retractedRevision: command.retractedRevision,
      retractedEventId: command.retractedEventId,
      retractedType: target.type,
      reason,
      replacement,
    },
  });
  if (!command.replacement) return [retraction(null)];
  if (typeof command.replacement !== 'object' || Array.isArray(command.replacement)) {
    throw invalid('replacement', 'replacement must be an object with the fields of the corrected record');
  }
  for (const key of Object.keys(command.replacement)) {
    if (!CORRECTION_REPLACEMENT_FIELDS[target.type].includes(key)) {
      throw invalid(`replacement.${key}`, `${key} is not a field of a ${target.type} (allowed: ${CORRECTION_REPLACEMENT_FIELDS[target.type].join(', ')})`);
    }
  }
  const without = evolve(h, retraction(null));
  const replacementCommand = { ...command.replacement, type: COMMAND_FOR[target.type], organizationId: h.id } as OrganizationCommand;
  const [fact] = withPathPrefix(() => decideReplacement(replacementCommand, without, context));
  return [retraction({ type: fact.type, data: fact.data as unknown as Record<string, unknown> })];
}

/** The replacement's invalid fields are named under `replacement.` in the answer. */
function withPathPrefix<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'invalid') {
      throw new DomainError(error.kind, error.code, error.message, error.errors.map((e) => ({ ...e, path: e.path ? `replacement.${e.path}` : 'replacement' })), error.extensions);
    }
    throw error;
  }
}
