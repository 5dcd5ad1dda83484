import { taperedEnds } from './facts-in-database';

const ends = (every: number, total: number) => {
  const list = [];
  for (let n = every; n < total; n += every) list.push({ n });
  list.push({ n: total });
  return list.map(({ n }) => n);
};
const chunks = (chosen: number[]) => chosen.map((n, i) => n - (i === 0 ? 0 : chosen[i - 1]));

describe('the facts phase cuts the log in chunks with a short first and last one', () => {
  it('takes a quarter first, then whole chunks, and the ends within a quarter of the last', () => {
    const chosen = taperedEnds(ends(25, 981).map((n) => ({ n })), 100, 25).map((end) => end.n);
    expect(chosen).toEqual([25, 125, 225, 325, 425, 525, 625, 725, 825, 925, 975, 981]);
    expect(chunks(chosen)).toEqual([25, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50, 6]);
  });

  it('keeps every end when there is no taper, and the last end always', () => {
    expect(taperedEnds(ends(37, 100).map((n) => ({ n })), 37, 37).map((end) => end.n)).toEqual([37, 74, 100]);
    expect(taperedEnds([{ n: 12 }], 100, 25).map((end) => end.n)).toEqual([12]);
    expect(taperedEnds([], 100, 25)).toEqual([]);
  });
});
