// Folds Traditional Chinese characters to Simplified before fingerprinting,
// so a copy converted between the two scripts still matches. Character by
// character (OpenCC's dictionaries, applied one code point at a time) and
// only where one code point becomes one code point of the same UTF-16
// length: the folded text has exactly the original's offsets, so passage
// evidence computed on it points into the original text.
import { Converter } from 'opencc-js/t2cn';

const toSimplified = Converter({ from: 't', to: 'cn' }) as (text: string) => string | undefined;
const cache = new Map<string, string>();

function foldChar(ch: string): string {
  const known = cache.get(ch);
  if (known !== undefined) return known;
  const converted = toSimplified(ch);
  const out = converted !== undefined && converted.length === ch.length && Array.from(converted).length === 1 ? converted : ch;
  if (cache.size < 100_000) cache.set(ch, out);
  return out;
}

const HAN = /\p{Script=Han}/u;

/** Same length and offsets as `text`; Traditional Han characters replaced by their Simplified forms. */
export function foldChineseVariants(text: string): string {
  if (!/[\u3400-\u9fff\uf900-\ufaff]|[\ud840-\ud87f]/.test(text)) return text;
  let out = '';
  for (const ch of text) out += HAN.test(ch) ? foldChar(ch) : ch;
  return out;
}
