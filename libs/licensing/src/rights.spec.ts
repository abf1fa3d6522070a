import { RIGHTS, Right, isRight } from './rights.js';

describe('Right', () => {
  it('lists the twelve economic rights of art. 10 (5)–(16) in statutory order, snake_case', () => {
    expect(RIGHTS).toEqual([
      'reproduction',
      'distribution',
      'rental',
      'exhibition',
      'performance',
      'screening',
      'broadcast',
      'information_network_dissemination',
      'filming',
      'adaptation',
      'translation',
      'compilation',
    ]);
  });

  it('recognises only exact enum values', () => {
    expect(isRight(Right.InformationNetworkDissemination)).toBe(true);
    expect(isRight('Reproduction')).toBe(false);
    expect(isRight('attribution')).toBe(false); // a moral right: not tradeable
    expect(isRight(undefined)).toBe(false);
  });
});
