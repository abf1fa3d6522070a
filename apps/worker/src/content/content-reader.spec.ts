import sharp from 'sharp';
import { readContentBytes } from './content-reader.js';

describe('readContentBytes', () => {
  it('decides by the bytes: images, UTF-8 and UTF-16 text, and refuses binaries', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).png().toBuffer();
    expect((await readContentBytes(png)).kind).toBe('image');
    expect(await readContentBytes(Buffer.from('床前明月光\nmoonlight'))).toEqual({ kind: 'text', text: '床前明月光\nmoonlight', extractor: 'plain', truncated: false });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('静夜思', 'utf16le')]);
    expect(await readContentBytes(utf16)).toMatchObject({ kind: 'text', text: '静夜思' });
    expect(await readContentBytes(Buffer.from([0x00, 0x01, 0x02, 0xff, 0x80]))).toMatchObject({ kind: 'unsupported' });
    expect(await readContentBytes(Buffer.alloc(0))).toMatchObject({ kind: 'unsupported', reason: 'empty file' });
    expect(await readContentBytes(Buffer.from('PK\u0003\u0004not really a zip'))).toMatchObject({ kind: 'unsupported' });
    expect(await readContentBytes(Buffer.from('%PDF-1.7 broken'))).toMatchObject({ kind: 'unsupported' });
  });
});
