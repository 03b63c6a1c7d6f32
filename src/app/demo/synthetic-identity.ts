// Synthetic Chinese identities for the demo book: realistic names, resident
// ID numbers with a valid ISO 7064 MOD 11-2 check character, and mainland
// mobile numbers. They belong to nobody: every digit after the region code
// and birth date is drawn from a seeded PRNG.
import type { Prng } from './prng.js';

// Common surnames, weighted roughly by frequency (a handful of very common
// ones and a long tail).
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 70],
  ['张', 68],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 25],
  ['赵', 22],
  ['吴', 20],
  ['周', 20],
  ['徐', 15],
  ['孙', 15],
  ['马', 13],
  ['朱', 12],
  ['胡', 12],
  ['郭', 11],
  ['何', 11],
  ['高', 10],
  ['林', 10],
  ['罗', 9],
  ['郑', 9],
  ['梁', 9],
  ['谢', 7],
  ['宋', 7],
  ['唐', 6],
  ['许', 6],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 5],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['袁', 4],
  ['潘', 4],
  ['于', 4],
  ['蒋', 4],
  ['蔡', 4],
  ['余', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 3],
  ['苏', 3],
  ['魏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 3],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['欧阳', 1],
  ['上官', 1],
  ['司马', 1],
];

const GIVEN_CHARS =
  '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉玲宇浩晨子涵梓轩欣怡雨婷思远建国志强春梅海燕文博嘉怡俊杰佳琪晓东丽华德明建华永刚凯瑞雪梅';

// Region codes of county-level districts (GB/T 2260), with their cities.
const REGIONS: readonly (readonly [string, string])[] = [
  ['110105', '北京市朝阳区'],
  ['110108', '北京市海淀区'],
  ['310104', '上海市徐汇区'],
  ['310115', '上海市浦东新区'],
  ['440106', '广州市天河区'],
  ['440305', '深圳市南山区'],
  ['330106', '杭州市西湖区'],
  ['320106', '南京市鼓楼区'],
  ['510107', '成都市武侯区'],
  ['420106', '武汉市武昌区'],
  ['610113', '西安市雁塔区'],
  ['500103', '重庆市渝中区'],
  ['370202', '青岛市市南区'],
  ['350203', '厦门市思明区'],
  ['430104', '长沙市岳麓区'],
  ['410105', '郑州市金水区'],
];

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '158',
  '159',
  '166',
  '177',
  '180',
  '181',
  '186',
  '187',
  '188',
  '189',
  '199',
];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1)
    sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] as string;
}

export type SyntheticPerson = {
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly city: string;
  readonly birthYear: number;
};

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function syntheticName(prng: Prng): string {
  const surname = prng.weighted(SURNAMES);
  const length = prng.next() < 0.72 ? 2 : 1;
  let given = '';
  for (let i = 0; i < length; i += 1)
    given += GIVEN_CHARS[prng.int(0, GIVEN_CHARS.length - 1)];
  return surname + given;
}

/** A person born between `yearMin` and `yearMax`. */
export function syntheticPerson(
  prng: Prng,
  yearMin = 1965,
  yearMax = 2003,
): SyntheticPerson {
  const [region, city] = prng.pick(REGIONS);
  const birthYear = prng.int(yearMin, yearMax);
  const month = prng.int(1, 12);
  const day = prng.int(1, 28);
  const first17 = `${region}${birthYear}${pad(month, 2)}${pad(day, 2)}${pad(prng.int(1, 999), 3)}`;
  return {
    name: syntheticName(prng),
    idNumber: first17 + idCheckCharacter(first17),
    phone: prng.pick(MOBILE_PREFIXES) + pad(prng.int(0, 99_999_999), 8),
    city,
    birthYear,
  };
}
