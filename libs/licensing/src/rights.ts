// The economic rights of a copyright owner that can be licensed or assigned:
// PRC Copyright Law art. 10, items (5)–(16), in statutory order. The moral
// rights of items (1)–(4) (publication, attribution, alteration, integrity)
// are not tradeable and so are deliberately absent. Item (17), "other rights
// to be enjoyed by the copyright owner", is open-ended and not modelled.

export enum Right {
  Reproduction = 'reproduction', // 复制权
  Distribution = 'distribution', // 发行权
  Rental = 'rental', // 出租权
  Exhibition = 'exhibition', // 展览权
  Performance = 'performance', // 表演权
  Screening = 'screening', // 放映权
  Broadcast = 'broadcast', // 广播权
  InformationNetworkDissemination = 'information_network_dissemination', // 信息网络传播权
  Filming = 'filming', // 摄制权
  Adaptation = 'adaptation', // 改编权
  Translation = 'translation', // 翻译权
  Compilation = 'compilation', // 汇编权
}

/** All rights in statutory order; also the canonical order of normalised terms. */
export const RIGHTS: readonly Right[] = Object.freeze(Object.values(Right));

const RIGHT_VALUES: ReadonlySet<string> = new Set(RIGHTS);

export function isRight(value: unknown): value is Right {
  return typeof value === 'string' && RIGHT_VALUES.has(value);
}
