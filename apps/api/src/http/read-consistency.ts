import { Inject, Injectable } from '@nestjs/common';
import { ReadYourWrites } from '@ktt/read-models';
import { RequestValidationError } from './problem';

/** Thrown for `knownAt` until the bitemporal read models exist (audit issue #5): never a silently wrong answer. */
export class NotImplementedYetError extends Error {
  readonly code = 'NOT_IMPLEMENTED';
}

@Injectable()
export class ReadConsistency {
  constructor(@Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites) {}

  async prepare(query: { minPosition?: string; knownAt?: string }): Promise<void> {
    if (query.knownAt !== undefined) throw new NotImplementedYetError('knownAt (what the system knew at a moment) is not implemented yet');
    if (query.minPosition !== undefined && !this.readYourWrites.isValid(query.minPosition)) {
      throw new RequestValidationError([{ path: 'minPosition', message: 'minPosition must be a position from a command answer' }]);
    }
    await this.readYourWrites.waitFor(query.minPosition);
  }
}
