// The certificate for people: an A4 PDF rendered from the JSON certificate
// (so it shows nothing the ledger does not back), with a QR code to the public
// verification page. Chinese text needs a font with the glyphs: Noto Sans SC
// (GB 2312 subset, from @embedpdf/fonts-sc) is embedded, subset to the
// characters used, so any PDF reader shows it without local fonts.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CertificateDocument } from '#certificate';
import { decodeEntry, parseCheckpointBody } from '#ledger';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;

/** The font files, read once per process (about 8 MB each). */
function loadFonts(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const dir = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    fonts = { regular: fs.readFileSync(path.join(dir, 'NotoSansHans-Regular.otf')), bold: fs.readFileSync(path.join(dir, 'NotoSansHans-Bold.otf')) };
  }
  return fonts;
}

const TYPE_LABELS: Record<string, string> = {
  text: '文字作品 Text',
  image: '美术/摄影作品 Image',
  audio: '音乐/录音 Audio',
  video: '视听作品 Video',
  software: '计算机软件 Software',
  design: '设计 Design',
  other: '其他 Other',
};

const FIELD_LABELS: Record<string, string> = {
  title: 'title',
  type: 'type',
  authors: 'authors',
  completedOn: 'completed on',
  publication: 'publication',
  description: 'description',
  derivedFrom: 'derived from',
};

function beijingTime(iso: string): string {
  const date = new Date(iso);
  const local = date.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return `${date.toISOString()} (北京时间 ${local})`;
}

function authorsText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.map((a: { name?: string; role?: string }) => (a.role ? `${a.name}（${a.role}）` : String(a.name))).join('、');
}

function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined) return '—（removed）';
  if (field === 'authors') return authorsText(value);
  if (field === 'publication' && typeof value === 'object') {
    const p = value as { date?: string; place?: string };
    return `${p.date ?? ''} ${p.place ?? ''}`.trim();
  }
  if (field === 'type') return TYPE_LABELS[String(value)] ?? String(value);
  return String(value);
}

function percent(shareBp: number): string {
  return `${(shareBp / 100).toFixed(2)}%`;
}

// Rendering takes a few hundred milliseconds of CPU (subsetting the CJK font), so a PDF is kept
// for a while, keyed by everything it shows; the checkpoint (which moves on) is not shown.
const CACHE_TTL_MS = 10 * 60 * 1000;
const CACHE_SIZE = 200;
const cache = new Map<string, { pdf: Promise<Buffer>; at: number }>();

function cacheKey(certificate: CertificateDocument): string {
  const shown = { work: certificate.work, verifyUrl: certificate.verifyUrl, entries: certificate.entries.map((e) => [e.ledgerIndex, e.entry]), timeStamp: certificate.timeStamp?.serialNumber };
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64');
}

/** The certificate as a PDF (cached by its content for a few minutes). */
export function renderCertificatePdf(certificate: CertificateDocument): Promise<Buffer> {
  const key = cacheKey(certificate);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_TTL_MS) return hit.pdf;
  const pdf = render(certificate);
  cache.set(key, { pdf, at: now });
  pdf.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return pdf;
}

async function render(certificate: CertificateDocument): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const { work } = certificate;
  const metadata = work.metadata as Record<string, unknown>;
  const registration = certificate.entries[0]!;
  const registered = decodeEntry(Buffer.from(registration.entry, 'base64'));
  const origin = parseCheckpointBody(certificate.ledger.checkpoint.slice(0, certificate.ledger.checkpoint.indexOf('\n\n') + 1)).origin;
  const qr = await QRCode.toBuffer(certificate.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 360 });

  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 48, left: 56, right: 56 },
    info: { Title: `作品登记证书 ${work.registrationNumber}`, Subject: 'Certificate of Copyright Registration', Creator: 'copyright-ledger' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const qrSize = 110;

  doc.font('bold').fontSize(24).fillColor('#7a1010').text('作品登记证书', left, 56, { width: width - qrSize - 10 });
  doc.font('regular').fontSize(12).fillColor('#333333').text('Certificate of Copyright Registration', { width: width - qrSize - 10 });
  doc.image(qr, left + width - qrSize, 48, { width: qrSize, height: qrSize });
  doc.font('regular').fontSize(7).fillColor('#555555').text('扫码验证 Scan to verify', left + width - qrSize, 48 + qrSize + 2, { width: qrSize, align: 'center' });

  let y = 130;
  if (work.status === 'withdrawn') {
    doc.rect(left, y, width, 24).fill('#fbe3e3');
    doc.font('bold').fontSize(12).fillColor('#a00000').text('已撤销  This registration was WITHDRAWN by its registrant', left + 8, y + 5, { width: width - 16 });
    y += 34;
  }

  const labelWidth = 150;
  const row = (zh: string, en: string, value: string, options: { font?: string; size?: number } = {}) => {
    const valueHeight = doc.font(options.font ?? 'regular').fontSize(options.size ?? 11).heightOfString(value || ' ', { width: width - labelWidth });
    const height = Math.max(valueHeight, 24);
    if (y + height > doc.page.height - doc.page.margins.bottom - 40) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    doc.font('bold').fontSize(10).fillColor('#222222').text(zh, left, y, { width: labelWidth - 8 });
    doc.font('regular').fontSize(7.5).fillColor('#777777').text(en, left, y + 13, { width: labelWidth - 8 });
    doc.font(options.font ?? 'regular').fontSize(options.size ?? 11).fillColor('#000000').text(value || '—', left + labelWidth, y, { width: width - labelWidth });
    y += height + 8;
    doc.moveTo(left, y - 4).lineTo(left + width, y - 4).lineWidth(0.3).strokeColor('#dddddd').stroke();
  };

  row('登记号', 'Registration number', work.registrationNumber, { font: 'bold', size: 13 });
  row('作品名称', 'Title', String(metadata.title ?? ''), { font: 'bold', size: 14 });
  row('作品类别', 'Type', valueText('type', metadata.type));
  row('作者', 'Authors', authorsText(metadata.authors));
  row(
    '著作权人及份额',
    'Owners and shares',
    work.owners.map((o) => `${o.name ?? o.id}  ${percent(o.shareBp)}`).join('\n'),
  );
  row('登记申请人', 'Registrant', `${work.registrant.name ?? ''}  (${work.registrant.id})`);
  if (metadata.completedOn) row('创作完成日期', 'Completed on', String(metadata.completedOn));
  if (metadata.publication) row('首次发表', 'First publication', valueText('publication', metadata.publication));
  if (metadata.description) row('说明', 'Description', String(metadata.description));
  row('登记时间', 'Registered at', beijingTime(registered.integratedAt));
  row(
    '可信时间戳',
    'RFC 3161 time-stamp',
    certificate.timeStamp ? `${beijingTime(certificate.timeStamp.genTime)}\nserial ${certificate.timeStamp.serialNumber}` : '—',
  );
  row('作品 SHA-256', 'Content hash', `${work.sha256.slice(0, 32)}\n${work.sha256.slice(32)}`, { size: 10 });
  row(
    '账本记录',
    'Ledger',
    `ledger index ${registration.ledgerIndex} in "${origin}"\nlog key ${certificate.ledger.verifierKey.split('+').slice(0, 2).join('+')}`,
    { size: 9 },
  );
  row('状态', 'Status', work.status === 'withdrawn' ? '已撤销 withdrawn' : '有效 registered');

  const corrections = certificate.entries.filter((e) => e.kind === 'work.amended' || e.kind === 'work.withdrawn');
  for (const entry of corrections) {
    const when = beijingTime(decodeEntry(Buffer.from(entry.entry, 'base64')).integratedAt);
    const data = (entry.metadata ?? {}) as { amendment?: number; reason?: string; changes?: Record<string, unknown> };
    if (entry.kind === 'work.amended') {
      const changes = Object.entries(data.changes ?? {}).map(([field, value]) => `${FIELD_LABELS[field] ?? field}: ${valueText(field, value)}`);
      row(`补充登记 #${data.amendment ?? ''}`, `Amendment, ledger index ${entry.ledgerIndex}`, `${when}\n理由 reason: ${data.reason ?? ''}\n${changes.join('\n')}`, { size: 9.5 });
    } else {
      row('撤销登记', `Withdrawal, ledger index ${entry.ledgerIndex}`, `${when}\n理由 reason: ${data.reason ?? ''}`, { size: 9.5 });
    }
  }

  y += 6;
  if (y > doc.page.height - doc.page.margins.bottom - 70) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  doc
    .font('regular')
    .fontSize(8)
    .fillColor('#444444')
    .text(
      `验证 Verify: ${certificate.verifyUrl}\n` +
        'This PDF is a rendering for people. The authoritative certificate is the JSON document ' +
        `(GET /v1/works/${work.id}/certificate), which anyone can check offline with the ledger's public key: ` +
        '`npm run verify -- certificate.json --file <work> --key <vkey>`; the time-stamp also verifies with `openssl ts -verify`.',
      left,
      y,
      { width },
    );
  doc.end();
  return done;
}
