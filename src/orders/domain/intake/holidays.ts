/** Named days people order around. Solar holidays are fixed; lunar ones are listed per year. */

/** Fixed-date (Gregorian) holidays: [month, day]. */
export const SOLAR_HOLIDAYS: Record<string, [number, number]> = {
  元旦: [1, 1],
  情人节: [2, 14],
  妇女节: [3, 8],
  植树节: [3, 12],
  劳动节: [5, 1],
  五一节: [5, 1],
  儿童节: [6, 1],
  六一: [6, 1],
  建党节: [7, 1],
  建军节: [8, 1],
  教师节: [9, 10],
  国庆节: [10, 1],
  国庆: [10, 1],
  平安夜: [12, 24],
  圣诞节: [12, 25],
};

/** Lunar-calendar holidays as Gregorian dates, by year (extend the table as years pass). */
export const LUNAR_HOLIDAYS: Record<string, Record<number, string>> = {
  除夕: { 2026: '2026-02-16', 2027: '2027-02-05', 2028: '2028-01-25' },
  春节: { 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26' },
  元宵节: { 2026: '2026-03-03', 2027: '2027-02-20', 2028: '2028-02-09' },
  端午节: { 2026: '2026-06-19', 2027: '2027-06-09', 2028: '2028-05-28' },
  七夕: { 2026: '2026-08-19', 2027: '2027-08-08', 2028: '2028-08-26' },
  中秋节: { 2026: '2026-09-25', 2027: '2027-09-15', 2028: '2028-10-03' },
  重阳节: { 2026: '2026-10-18', 2027: '2027-10-08', 2028: '2028-10-26' },
};

const ALIASES: Record<string, string> = { 大年三十: '除夕', 大年初一: '春节', 元宵: '元宵节', 端午: '端午节', 中秋: '中秋节', 重阳: '重阳节' };

/** The next date (today included) of a holiday named in the text, or null. `today` is 'YYYY-MM-DD'. */
export function holidayDate(text: string, today: string): string | null {
  const year = Number(today.slice(0, 4));
  for (const [name, [m, d]] of Object.entries(SOLAR_HOLIDAYS)) {
    if (!text.includes(name)) continue;
    const pad = (n: number): string => String(n).padStart(2, '0');
    const thisYear = `${year}-${pad(m)}-${pad(d)}`;
    return thisYear >= today ? thisYear : `${year + 1}-${pad(m)}-${pad(d)}`;
  }
  const names = [...Object.keys(LUNAR_HOLIDAYS), ...Object.keys(ALIASES)];
  for (const name of names) {
    if (!text.includes(name)) continue;
    const table = LUNAR_HOLIDAYS[ALIASES[name] ?? name] ?? {};
    const date = [table[year], table[year + 1]].find((d) => d !== undefined && d >= today);
    return date ?? null;
  }
  return null;
}
