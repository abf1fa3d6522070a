import { inputProblem, MAX_INPUT_DEPTH } from './input-hygiene.js';

describe('inputProblem', () => {
  it('passes ordinary JSON in any script and direction', () => {
    for (const value of [{ title: '静夜思', authors: [{ name: 'مرحبا' }] }, ['\u202eabc', '👨‍👩‍👧', 'e\u0301'], 'plain', 12, null, { a: { b: { c: [1, 2, { d: 'x' }] } } }]) {
      expect(inputProblem(value, 'body')).toBeUndefined();
    }
  });

  it.each([
    [{ title: 'a\u0000b' }, 'body.title', /NUL/],
    [{ authors: [{ name: 'x\ud800' }] }, 'body.authors[0].name', /unpaired surrogate/],
    [{ t: '\udc00y' }, 'body.t', /unpaired surrogate/],
    [{ ['k\u0000']: 1 }, 'body', /a key in body/],
    [JSON.parse('{"__proto__":{"x":1}}'), 'body', /__proto__/],
  ])('refuses %j, naming %s', (value, field, message) => {
    const problem = inputProblem(value, 'body');
    expect(problem?.field).toBe(field);
    expect(problem?.message).toMatch(message);
  });

  it('refuses nesting deeper than the limit without recursing (no stack overflow at any depth)', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(inputProblem(deep, 'body')?.message).toMatch(`nested more than ${MAX_INPUT_DEPTH} levels`);
    let ok: unknown = 'leaf';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) ok = { a: ok };
    expect(inputProblem(ok, 'body')).toBeUndefined();
  });
});
