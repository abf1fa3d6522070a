// "Is this use licensed?": the licensee's active licences of the work that
// include the right on that day are pre-selected in SQL; coversUse() from the
// licensing library decides territory and medium exactly.
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '#errors';
import { coversUse, isCountryCode, isIsoDate, WORLD, type LicensedUse } from '#licensing';
import { LicencesRepository } from './licences.repository.js';
import { toLicenceView, type LicenceView } from './licence-view.js';

export interface VerifyLicenceQuery extends LicensedUse {
  workId: string;
  licenseeId: string;
}

@Injectable()
export class VerifyLicence {
  constructor(private readonly licences: LicencesRepository) {}

  async execute(query: VerifyLicenceQuery): Promise<{ licensed: boolean; licence: LicenceView | null; query: VerifyLicenceQuery }> {
    // Checked up front so a typo is a 400, not a quiet "not licensed".
    if (!(query.territory === WORLD || isCountryCode(query.territory))) {
      throw new AppError(ErrorCode.ValidationFailed, 'territory must be an assigned ISO 3166-1 alpha-2 code or WORLD.', { field: 'territory' });
    }
    if (!isIsoDate(query.at)) throw new AppError(ErrorCode.ValidationFailed, 'at must be a real calendar date YYYY-MM-DD.', { field: 'at' });
    const candidates = await this.licences.candidatesFor(query.workId, query.licenseeId, query.right, query.at);
    const use: LicensedUse = { right: query.right, territory: query.territory, media: query.media, at: query.at };
    const covering = candidates.find((licence) => coversUse(licence.terms, use));
    return { licensed: covering !== undefined, licence: covering ? toLicenceView(covering) : null, query };
  }
}
