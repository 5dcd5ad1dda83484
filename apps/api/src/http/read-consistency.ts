import { Inject, Injectable } from '@nestjs/common';
import { ReadYourWrites } from '@ktt/read-models';
import { RequestValidationError } from './problem';

@Injectable()
export class ReadConsistency {
  constructor(@Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites) {}

  async prepare(query: { minPosition?: string; knownAt?: string }): Promise<void> {
    if (query.minPosition !== undefined && !this.readYourWrites.isValid(query.minPosition)) {
      throw new RequestValidationError([{ path: 'minPosition', message: 'minPosition must be a position from a command answer' }]);
    }
    await this.readYourWrites.waitFor(query.minPosition);
  }
}
