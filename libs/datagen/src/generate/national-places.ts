import type { Sector } from '@ktt/domain';
import type { District, LocalReason, ProvinceVocabulary, UnionTemplate } from '../demo/demo-places';
import { hashSeed, Random } from '../random';

/**
 * A generic vocabulary for the provinces without one of their own (all but
 * Kiên Giang and Yên Bái, whose vocabularies are in demo-places.ts): district
 * and commune names composed from common Vietnamese place-name syllables, the
 * activities of the province's region, and 1–n union templates. It is a pure
 * function of the province (not of the seed), so a province keeps its places
 * from one data set to the next. Names are invented; no real place or
 * organization is meant, except the province itself (its name is the seat
 * district's).
 */

export interface ProvinceRef {
  provinceCode: string;
  name: string;
}

/** The regions the activities and hardships follow (by the General Statistics Office's code ranges). */
export type Region = 'north_mountains' | 'red_river_delta' | 'central' | 'highlands' | 'southeast' | 'mekong';

const NORTH_MOUNTAINS = new Set(['02', '04', '06', '08', '10', '11', '12', '14', '15', '17', '19', '20', '24', '25']);
const HIGHLANDS = new Set(['62', '64', '66', '67', '68']);
/** Provinces with a sea coast: sea fisheries weigh more there. */
const COASTAL = new Set([
  '22', '31', '34', '36', '37', '38', '40', '42', '44', '45', '46', '48', '49', '51', '52', '54', '56', '58', '60',
  '77', '79', '82', '83', '84', '91', '94', '95', '96',
]);

export function regionOf(provinceCode: string): Region {
  const code = Number(provinceCode);
  if (NORTH_MOUNTAINS.has(provinceCode)) return 'north_mountains';
  if (code <= 37) return 'red_river_delta';
  if (HIGHLANDS.has(provinceCode)) return 'highlands';
  if (code <= 60) return 'central';
  if (code <= 79) return 'southeast';
  return 'mekong';
}

export function isCoastal(provinceCode: string): boolean {
  return COASTAL.has(provinceCode);
}

const FIRST_SYLLABLES = [
  'An', 'Bình', 'Hòa', 'Phú', 'Tân', 'Long', 'Vĩnh', 'Thạnh', 'Hưng', 'Xuân', 'Minh', 'Quang', 'Đông', 'Tây', 'Nam',
  'Bắc', 'Yên', 'Phúc', 'Đại', 'Thuận', 'Trung', 'Hải', 'Kim', 'Thanh', 'Mỹ', 'Cẩm', 'Gia', 'Hoàng', 'Lạc', 'Đức',
];
const SECOND_SYLLABLES = [
  'Lộc', 'Phú', 'Hòa', 'Thịnh', 'An', 'Bình', 'Hưng', 'Thành', 'Sơn', 'Lợi', 'Tiến', 'Phong', 'Hải', 'Lâm', 'Trung',
  'Thuận', 'Khánh', 'Mỹ', 'Điền', 'Đức', 'Xuyên', 'Tân', 'Định', 'Nghĩa', 'Quý', 'Thạch', 'Châu', 'Hiệp', 'Phước', 'Đồng',
];

/** `count` distinct two-syllable place names, none in `avoid`. */
function placeNames(random: Random, count: number, avoid: ReadonlySet<string> = new Set()): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    const first = random.pick(FIRST_SYLLABLES);
    const second = random.pick(SECOND_SYLLABLES);
    const name = `${first} ${second}`;
    if (first !== second && !avoid.has(name)) names.add(name);
  }
  return [...names];
}

const ACTIVITIES: Record<Region, { cooperative: readonly string[]; group: readonly string[] }> = {
  north_mountains: {
    cooperative: ['Nông lâm nghiệp', 'Chè', 'Trồng rừng', 'Dược liệu', 'Chăn nuôi', 'Cây ăn quả', 'Nông nghiệp', 'Quế hồi'],
    group: ['trồng chè', 'trồng rừng', 'chăn nuôi trâu bò', 'trồng dược liệu', 'nuôi ong', 'trồng cây ăn quả'],
  },
  red_river_delta: {
    cooperative: ['Dịch vụ nông nghiệp', 'Nông nghiệp', 'Rau an toàn', 'Sản xuất lúa', 'Chăn nuôi', 'Trồng hoa', 'Nông nghiệp hữu cơ', 'Cây ăn quả'],
    group: ['sản xuất lúa', 'trồng rau', 'chăn nuôi lợn', 'trồng hoa', 'nuôi gà', 'trồng nấm'],
  },
  central: {
    cooperative: ['Dịch vụ nông nghiệp', 'Nông nghiệp', 'Trồng rừng', 'Sản xuất muối', 'Rau an toàn', 'Chăn nuôi', 'Trồng lạc', 'Dược liệu'],
    group: ['sản xuất lúa', 'trồng rừng', 'làm muối', 'chăn nuôi bò', 'trồng rau', 'trồng lạc'],
  },
  highlands: {
    cooperative: ['Cà phê', 'Hồ tiêu', 'Nông nghiệp', 'Sầu riêng', 'Mắc ca', 'Dịch vụ nông nghiệp', 'Chăn nuôi'],
    group: ['trồng cà phê', 'trồng hồ tiêu', 'trồng sầu riêng', 'chăn nuôi bò', 'trồng rau'],
  },
  southeast: {
    cooperative: ['Nông nghiệp', 'Cao su', 'Điều', 'Cây ăn quả', 'Dịch vụ nông nghiệp', 'Rau an toàn', 'Chăn nuôi'],
    group: ['trồng điều', 'trồng cao su', 'trồng rau', 'chăn nuôi', 'trồng cây ăn quả'],
  },
  mekong: {
    cooperative: ['Lúa gạo', 'Nông nghiệp', 'Trái cây', 'Dừa', 'Dịch vụ nông nghiệp', 'Lúa chất lượng cao', 'Rau màu', 'Chăn nuôi'],
    group: ['sản xuất lúa', 'trồng cây ăn trái', 'trồng dừa', 'nuôi vịt', 'trồng rau màu', 'dịch vụ máy nông nghiệp'],
  },
};

const FISHERIES_COOPERATIVE = ['Thủy sản', 'Nuôi trồng thủy sản', 'Nuôi cá', 'Nuôi tôm'];
const SEA_FISHERIES_COOPERATIVE = ['Khai thác hải sản', 'Đánh bắt xa bờ', 'Dịch vụ hậu cần nghề cá'];

const OTHER_COOPERATIVE_ACTIVITIES: Partial<Record<Sector, readonly string[]>> = {
  industry: ['Tiểu thủ công nghiệp', 'Mây tre đan', 'Chế biến nông sản', 'Cơ khí', 'Làng nghề', 'Dệt may'],
  construction: ['Xây dựng', 'Xây dựng và dịch vụ'],
  transport: ['Vận tải', 'Vận tải hành khách', 'Dịch vụ vận tải'],
  trade_services: ['Thương mại dịch vụ', 'Dịch vụ tổng hợp', 'Du lịch cộng đồng', 'Dịch vụ điện'],
  other: ['Môi trường', 'Cấp nước sạch', 'Dịch vụ vệ sinh môi trường'],
};

const OTHER_GROUP_ACTIVITIES: Partial<Record<Sector, readonly string[]>> = {
  industry: ['đan lát', 'làm nghề truyền thống', 'chế biến nông sản'],
  trade_services: ['thu gom nông sản', 'dịch vụ du lịch', 'buôn bán nông sản'],
};

/** Hardships that made members notify a suspension in the region, some only in their season. */
const REGIONAL_REASONS: Record<Region, readonly LocalReason[]> = {
  north_mountains: [
    { reason: 'Ảnh hưởng mưa lũ, sạt lở đất' },
    // Typhoon Yagi, September 2024.
    { reason: 'Thiệt hại do cơn bão số 3 (Yagi)', from: '2024-09-08', to: '2025-06-30' },
  ],
  red_river_delta: [
    { reason: 'Thiệt hại do cơn bão số 3 (Yagi)', from: '2024-09-08', to: '2025-06-30' },
    { reason: 'Ảnh hưởng dịch tả lợn châu Phi', from: '2019-02-01', to: '2020-06-30' },
  ],
  central: [
    // The October 2020 floods in central Vietnam.
    { reason: 'Thiệt hại do bão lũ', from: '2020-10-01', to: '2021-06-30' },
    { reason: 'Ảnh hưởng hạn hán' },
  ],
  highlands: [{ reason: 'Giá nông sản giảm, sản xuất thua lỗ' }, { reason: 'Ảnh hưởng hạn hán' }],
  southeast: [{ reason: 'Giá nông sản giảm, sản xuất thua lỗ' }],
  mekong: [
    // The 2019–2020 drought and salinity intrusion in the Mekong delta.
    { reason: 'Ảnh hưởng hạn hán, xâm nhập mặn', from: '2019-12-01', to: '2020-12-31' },
    { reason: 'Giá lúa giảm, sản xuất thua lỗ' },
  ],
};

const UNION_SECTORS: readonly (readonly [Sector, number])[] = [
  ['agriculture', 70], ['fisheries', 8], ['trade_services', 10], ['transport', 7], ['industry', 5],
];
const UNION_ACTIVITIES: Partial<Record<Sector, readonly string[]>> = {
  agriculture: ['Nông nghiệp', 'Nông sản', 'Rau quả', 'Dịch vụ nông nghiệp', 'Nông sản sạch'],
  fisheries: ['Thủy sản'],
  trade_services: ['Thương mại dịch vụ'],
  transport: ['Vận tải'],
  industry: ['Tiểu thủ công nghiệp'],
};

function hamletOf(region: Region, names: readonly string[]): (index: number) => string {
  if (region === 'mekong' || region === 'southeast') return (index) => `ấp ${names[index % names.length]}`;
  if (region === 'north_mountains') return (index) => (index % 4 === 3 ? `bản ${names[index % names.length]}` : `thôn ${(index % 14) + 1}`);
  if (region === 'central') return (index) => `${index % 3 === 0 ? 'xóm' : 'thôn'} ${(index % 15) + 1}`;
  return (index) => `thôn ${names[index % names.length]}`;
}

/**
 * The vocabulary of a province without one of its own, with `unions` union
 * templates (founded 2016–2024 by 4–8 cooperatives, so that about 150 unions
 * hold about 1,000 member cooperatives at the end of 2024: domain.md,
 * "Background facts").
 */
export function genericVocabulary(province: ProvinceRef, unions: number): ProvinceVocabulary {
  const random = new Random(hashSeed('vocabulary', province.provinceCode));
  const region = regionOf(province.provinceCode);
  const districtNames = [province.name, ...placeNames(random, random.int(7, 11), new Set([province.name]))];
  const districts: District[] = districtNames.map((name) => ({ name, communes: placeNames(random, random.int(5, 9), new Set([name])) }));
  const { cooperative, group } = ACTIVITIES[region];
  const fisheries = isCoastal(province.provinceCode) ? [...FISHERIES_COOPERATIVE, ...SEA_FISHERIES_COOPERATIVE] : FISHERIES_COOPERATIVE;
  const templates: UnionTemplate[] = [];
  const unionNames = new Set<string>();
  while (templates.length < unions) {
    const sector = random.weighted(UNION_SECTORS);
    const district = random.pick(districts).name;
    const activity = random.pick(UNION_ACTIVITIES[sector] ?? ['Dịch vụ tổng hợp']);
    const name = `Liên hiệp hợp tác xã ${activity} ${random.chance(0.5) ? province.name : district}`;
    if (unionNames.has(name)) continue;
    unionNames.add(name);
    const foundedIn = `${random.int(2016, 2024)}-${String(random.int(1, 11)).padStart(2, '0')}`;
    templates.push({ name, sector, foundedIn, district, probability: 1, founders: [4, 8] });
  }
  return {
    provinceCode: province.provinceCode,
    name: province.name,
    districts,
    hamlet: hamletOf(region, placeNames(random, 16)),
    cooperativeActivities: { agriculture: cooperative, fisheries, ...OTHER_COOPERATIVE_ACTIVITIES },
    groupActivities: {
      agriculture: group,
      fisheries: isCoastal(province.provinceCode) ? ['khai thác thủy sản', 'nuôi trồng thủy sản'] : ['nuôi cá', 'nuôi trồng thủy sản'],
      ...OTHER_GROUP_ACTIVITIES,
    },
    localSuspensionReasons: REGIONAL_REASONS[region],
    unions: templates,
  };
}
