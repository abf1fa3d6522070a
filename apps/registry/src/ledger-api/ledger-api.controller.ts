// The public, keyless ledger API that outside verifiers use. Paths and shapes
// are a contract: do not change them.
import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { verifierKey, type NoteSigner } from '#ledger';
import { LedgerRangeError, LedgerReader } from '#ledger-store';
import { Public } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { NOTE_SIGNER } from '#platform';

const MAX_ENTRIES = 1000;

/** Parses a non-negative integer query parameter or answers 400 naming it. */
function index(name: string, raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) {
    throw new AppError(ErrorCode.InvalidRange, `Query parameter "${name}" must be a non-negative integer.`);
  }
  return Number(raw);
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

@ApiTags('ledger (public)')
@Public()
@Controller('v1/ledger')
export class LedgerApiController {
  constructor(
    private readonly reader: LedgerReader,
    @Inject(NOTE_SIGNER) private readonly signer: NoteSigner,
  ) {}

  private async signedSize(): Promise<number> {
    return (await this.reader.latestCheckpoint())?.treeSize ?? 0;
  }

  @Get('checkpoint')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'Latest checkpoint (C2SP signed note)' })
  async checkpoint(): Promise<string> {
    const checkpoint = await this.reader.latestCheckpoint();
    if (!checkpoint) throw new AppError(ErrorCode.NoCheckpoint, 'The ledger has no entries yet, so there is no checkpoint.');
    return checkpoint.note;
  }

  @Get('key')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'C2SP verifier key of the checkpoint signer' })
  key(): string {
    // Exactly the key, no newline: verifiers (Go's note.NewVerifier among them) take the body as the key.
    return verifierKey(this.signer);
  }

  @Get('entries')
  @ApiOperation({ summary: `Entries [start, end), at most ${MAX_ENTRIES}; leaf hash = SHA-256(0x00 || data)` })
  @ApiQuery({ name: 'start', type: Number })
  @ApiQuery({ name: 'end', type: Number })
  async entries(@Query('start') rawStart: unknown, @Query('end') rawEnd: unknown) {
    const start = index('start', rawStart);
    const end = index('end', rawEnd);
    if (end <= start) throw new AppError(ErrorCode.InvalidRange, `end (${end}) must be greater than start (${start}).`);
    if (end - start > MAX_ENTRIES) throw new AppError(ErrorCode.InvalidRange, `At most ${MAX_ENTRIES} entries per request.`);
    const size = await this.signedSize();
    if (end > size) throw new AppError(ErrorCode.InvalidRange, `end (${end}) is beyond the tree size (${size}).`);
    const entries = await this.reader.entries(start, end);
    return { entries: entries.map((e) => ({ index: e.index, data: b64(e.data) })) };
  }

  @Get('proof/inclusion')
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of entry `index` in the tree of size `treeSize`' })
  @ApiQuery({ name: 'index', type: Number })
  @ApiQuery({ name: 'treeSize', type: Number })
  async inclusion(@Query('index') rawIndex: unknown, @Query('treeSize') rawSize: unknown) {
    const leaf = index('index', rawIndex);
    const treeSize = index('treeSize', rawSize);
    try {
      const hashes = await this.reader.inclusionProof(leaf, treeSize);
      return { index: leaf, treeSize, hashes: hashes.map(b64) };
    } catch (error) {
      if (error instanceof LedgerRangeError) throw new AppError(ErrorCode.InvalidRange, error.message);
      throw error;
    }
  }

  @Get('proof/consistency')
  @ApiOperation({ summary: 'RFC 9162 consistency proof between tree sizes `from` and `to`' })
  @ApiQuery({ name: 'from', type: Number })
  @ApiQuery({ name: 'to', type: Number })
  async consistency(@Query('from') rawFrom: unknown, @Query('to') rawTo: unknown) {
    const from = index('from', rawFrom);
    const to = index('to', rawTo);
    try {
      const hashes = await this.reader.consistencyProof(from, to);
      return { from, to, hashes: hashes.map(b64) };
    } catch (error) {
      if (error instanceof LedgerRangeError) throw new AppError(ErrorCode.InvalidRange, error.message);
      throw error;
    }
  }
}
