// A registration's evidence for download: the self-contained JSON certificate,
// its PDF rendering, and the bare RFC 3161 time-stamp response.
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { CertificateService } from './certificate.service.js';
import { renderCertificatePdf } from './certificate-pdf.js';
import { WorkEvidenceRepository } from './work-evidence.repository.js';
import { UuidParam } from '#platform';

@ApiTags('certificates')
@ApiBearerAuth()
@Controller('v1/works')
export class CertificatesController {
  constructor(
    private readonly certificates: CertificateService,
    private readonly evidence: WorkEvidenceRepository,
  ) {}

  @Get(':id/certificate')
  @ApiOperation({
    summary: 'The registration certificate (JSON, self-contained)',
    description:
      'Metadata, every ledger entry about the work with its inclusion proof, one signed checkpoint covering them, the verifier key ' +
      'and the RFC 3161 time-stamp response. Check it offline with `npm run verify`. Registrant, owners, officers, exchange and admin only.',
  })
  async certificate(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal, @Res() response: FastifyReply): Promise<void> {
    const work = await this.certificates.workFor(principal, id);
    const certificate = await this.certificates.build(work);
    response
      .status(200)
      .header('Content-Disposition', `attachment; filename="${work.registrationNumber}.certificate.json"`)
      .header('Cache-Control', 'no-store')
      .send(certificate);
  }

  @Get(':id/certificate.pdf')
  @ApiOperation({ summary: 'The certificate rendered as a PDF, with a QR code to the public verification page' })
  @ApiProduces('application/pdf')
  async certificatePdf(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal, @Res() response: FastifyReply): Promise<void> {
    const work = await this.certificates.workFor(principal, id);
    const pdf = await renderCertificatePdf(await this.certificates.build(work));
    response
      .status(200)
      .type('application/pdf')
      .header('Content-Disposition', `inline; filename="${work.registrationNumber}.pdf"`)
      .header('Cache-Control', 'no-store')
      .send(pdf);
  }

  @Get(':id/timestamp')
  @ApiOperation({
    summary: 'The RFC 3161 TimeStampResp over the work\'s SHA-256 (DER)',
    description: '`openssl ts -verify -data <work> -in <this file> -CAfile ca.pem -untrusted tsa.pem` with the PEMs from /v1/tsa/certs.',
  })
  @ApiProduces('application/timestamp-reply')
  async timeStamp(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal, @Res() response: FastifyReply): Promise<void> {
    const work = await this.certificates.workFor(principal, id);
    const stamp = await this.evidence.timeStamp(work.id);
    if (!stamp) throw new AppError(ErrorCode.TimeStampNotFound, 'This work was registered without a time-stamp token.');
    response
      .status(200)
      .type('application/timestamp-reply')
      .header('Content-Disposition', `attachment; filename="${work.registrationNumber}.tsr"`)
      .send(stamp.response);
  }
}
