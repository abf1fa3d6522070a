// Texts written for these tests (no third-party works): an English essay and
// a Chinese one, long enough to fingerprint, and seeded edits of them.

export const ESSAY = [
  'The lighthouse keeper counted the ships each evening and wrote their names in a ledger bound with blue thread. Some nights the fog came in so thick that he counted by sound alone, the low horns answering one another across the harbour like cattle in a winter field.',
  'His daughter learned the names before she learned to read. She could tell a collier from a packet boat by the rhythm of its engine, and she kept her own list in chalk on the stone wall of the lamp room, where the salt air softened every letter by morning.',
  'When the new electric beacon was installed the company sent a young engineer with a leather case of drawings. He stayed three weeks, ate their bread and mended their clock, and on the last day he asked the girl to read him the chalk list aloud from memory.',
  'Years later, when the ledger was given to the maritime museum, the curators found that the keeper had missed eleven ships in forty years and that every one of them was written, in a child\'s careful hand, in the margin beside the day it passed.',
  'The museum placed the ledger in a glass case near the entrance. Visitors rarely read the columns of names; they looked instead at the margins, at the small corrections, and asked the guides who had made them and why a child would care so much for strangers.',
].join('\n\n');

export const CHINESE_ESSAY = [
  '在江南的小城里，有一家开了六十年的书店。店主每天清晨打开木门，把前一天读者留下的纸条一张一张夹进账本，纸条上写着他们想找却没有找到的书名。',
  '后来城里修了新的图书馆，书店的生意慢慢冷清下来。店主并不着急，他说书店卖的不只是书，还有等待，一个人等一本书的心情，是图书馆的目录里找不到的东西。',
  '他的孙女在书店里长大，会背出每一排书架上的作者，也会模仿祖父的字迹在纸条背面写回信。多年以后，她把那些纸条整理成册，送到了城市的档案馆。',
  '档案馆的研究员发现，六十年里一共有三千多张纸条，其中一半的书最后都找到了，每一张找到的纸条背面都写着日期和一句简短的话：书来了，请来取。',
].join('\n');

/** Replaces every `step`-th word with another word (a light edit that keeps most phrases). */
export function replaceEveryNthWord(text: string, step: number): string {
  let i = 0;
  return text.replace(/[A-Za-z']+/g, (word) => (++i % step === 0 ? 'zebra' : word));
}
