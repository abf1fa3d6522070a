// A takedown notice (通知书) as the Regulations on the Protection of the Right
// of Communication through Information Networks (《信息网络传播权保护条例》,
// art. 14) require it: the right holder's name, contact details and address;
// the name and network address of the infringing work; preliminary proof of
// infringement. Rendered from the evidence package so it says nothing the
// package does not back.

export interface TakedownNotice {
  /** The notice as a person reads and sends it (Chinese and English). */
  text: string;
  rightHolders: Array<{ id: string; name: string; contact: string; shareBp: number }>;
  work: { title: string; registrationNumber: string; sha256: string; registeredAt: string; ledgerIndex: number };
  infringingCopy: { location: string; platform: string | null; seenAt: string | null; sha256: string; registrationNumber?: string };
  preliminaryProof: { reportId: string; status: string; match: string; score: number; evidenceSha256: string; packageNote: string };
  issuedAt: string;
}

export interface TakedownInput {
  issuedAt: Date;
  reportId: string;
  status: string;
  rightHolders: TakedownNotice['rightHolders'];
  work: TakedownNotice['work'];
  infringingCopy: TakedownNotice['infringingCopy'];
  match: { description: string; score: number; evidenceSha256: string };
}

export function takedownNotice(input: TakedownInput): TakedownNotice {
  const holders = input.rightHolders.map((h) => `${h.name}（${h.contact}；party ${h.id}，share ${(h.shareBp / 100).toFixed(2)}%）`).join('；');
  const copy = input.infringingCopy;
  const text = [
    '侵权通知书 / Takedown notice',
    '',
    `一、权利人 Right holder(s): ${holders}`,
    `二、作品 Work: 《${input.work.title}》, registration ${input.work.registrationNumber}, SHA-256 ${input.work.sha256}, registered ${input.work.registeredAt} (public ledger index ${input.work.ledgerIndex})`,
    `三、侵权作品及网络地址 Infringing copy and its location: ${copy.location}` +
      (copy.platform ? `, platform ${copy.platform}` : '') +
      (copy.seenAt ? `, seen ${copy.seenAt}` : '') +
      `, SHA-256 ${copy.sha256}` +
      (copy.registrationNumber ? ` (registered by another party as ${copy.registrationNumber})` : ''),
    `四、初步证明材料 Preliminary proof: infringement report ${input.reportId} (status ${input.status}): ${input.match.description}, similarity ${input.match.score}. ` +
      `The attached evidence package (similarity evidence SHA-256 ${input.match.evidenceSha256}) carries the registration certificate with its ledger proof and time-stamp, ` +
      'and verifies offline: npm run verify -- evidence.json --key <the ledger verifier key> --tsa-ca <the TSA CA certificate>.',
    '',
    '请依法删除或断开上述侵权作品的链接。We request that the copy above be removed or access to it disabled.',
    `Issued ${input.issuedAt.toISOString()}.`,
  ].join('\n');
  return {
    text,
    rightHolders: input.rightHolders,
    work: input.work,
    infringingCopy: copy,
    preliminaryProof: {
      reportId: input.reportId,
      status: input.status,
      match: input.match.description,
      score: input.match.score,
      evidenceSha256: input.match.evidenceSha256,
      packageNote: 'verify the package offline with the ledger verifier key; see the package statement for what each part proves',
    },
    issuedAt: input.issuedAt.toISOString(),
  };
}
