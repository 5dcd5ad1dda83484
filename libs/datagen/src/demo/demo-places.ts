import type { Sector } from '@ktt/domain';

/**
 * Vocabulary of the demo data for the two provinces with plans, and An Giang (which Kiên Giang
 * joined on 1 July 2025): districts
 * and communes as they were before 1 July 2025 (Resolution 202/2025/QH15
 * abolished the district level; the plans were set under the old map), and
 * the activities typical of each province. Names are invented from these;
 * no real organization is meant.
 */

export interface District {
  name: string;
  communes: readonly string[];
}

export interface ProvinceVocabulary {
  provinceCode: string;
  name: string;
  districts: readonly District[];
  /** Settlements below the commune: "ấp" in the Mekong delta, "thôn"/"bản" in the north. */
  hamlet(index: number): string;
  /** Activity phrases for cooperative names ("Hợp tác xã <activity> <place>"), by sector. */
  cooperativeActivities: Partial<Record<Sector, readonly string[]>>;
  /** Activity phrases for group names ("Tổ hợp tác <activity> <place>"), lower case, by sector. */
  groupActivities: Partial<Record<Sector, readonly string[]>>;
  /** Hardships that make members notify a suspension, besides the common ones; some only in their season. */
  localSuspensionReasons: readonly LocalReason[];
  unions: readonly UnionTemplate[];
}

export interface LocalReason {
  reason: string;
  from?: string;
  to?: string;
}

export interface UnionTemplate {
  name: string;
  sector: Sector;
  /** Year and month of founding. */
  foundedIn: string;
  /** District whose cooperatives are preferred as founders and members. */
  district: string;
  /** Founded only with this probability (so a province has 2 or 3). */
  probability: number;
  /** How many cooperatives found it, at least and at most (3–4 when not given). */
  founders?: readonly [number, number];
}

const KG_HAMLETS = [
  'Kênh Làng', 'Xẻo Rô', 'Thạnh An', 'Vĩnh Thành', 'Tân Lập', 'Kinh Tư', 'Kinh Năm', 'Kinh Bảy', 'Ba Hòn',
  'Rọ Ghe', 'Cạnh Đền', 'Thứ Ba', 'Thứ Bảy', 'Xẻo Lá', 'Bến Nhứt', 'Hòa Lộc', 'Tân Điền', 'Kinh Đìa',
];

export const KIEN_GIANG: ProvinceVocabulary = {
  provinceCode: '91',
  name: 'Kiên Giang',
  districts: [
    { name: 'Rạch Giá', communes: ['Phi Thông', 'Vĩnh Quang', 'Vĩnh Thông', 'Rạch Sỏi'] },
    { name: 'Hà Tiên', communes: ['Mỹ Đức', 'Tiên Hải', 'Thuận Yên'] },
    { name: 'Phú Quốc', communes: ['Dương Đông', 'Hàm Ninh', 'Cửa Dương', 'Bãi Thơm', 'Gành Dầu', 'Cửa Cạn', 'An Thới'] },
    { name: 'Kiên Lương', communes: ['Bình An', 'Bình Trị', 'Hòa Điền', 'Kiên Bình', 'Dương Hòa', 'Sơn Hải'] },
    { name: 'Hòn Đất', communes: ['Sơn Kiên', 'Mỹ Lâm', 'Thổ Sơn', 'Bình Sơn', 'Nam Thái Sơn', 'Mỹ Hiệp Sơn', 'Lình Huỳnh'] },
    { name: 'Tân Hiệp', communes: ['Tân Hiệp A', 'Tân Hiệp B', 'Thạnh Đông', 'Thạnh Trị', 'Tân Hội', 'Thạnh Đông A', 'Tân Thành'] },
    { name: 'Châu Thành', communes: ['Minh Lương', 'Mong Thọ', 'Giục Tượng', 'Bình An', 'Thạnh Lộc', 'Vĩnh Hòa Hiệp'] },
    { name: 'Giồng Riềng', communes: ['Thạnh Hưng', 'Long Thạnh', 'Ngọc Chúc', 'Hòa Thuận', 'Bàn Tân Định', 'Vĩnh Phú'] },
    { name: 'Gò Quao', communes: ['Định Hòa', 'Vĩnh Hòa Hưng Bắc', 'Vĩnh Phước A', 'Thới Quản', 'Định An', 'Thủy Liễu'] },
    { name: 'An Biên', communes: ['Đông Thái', 'Tây Yên', 'Nam Thái', 'Hưng Yên', 'Nam Yên', 'Đông Yên'] },
    { name: 'An Minh', communes: ['Thuận Hòa', 'Vân Khánh', 'Đông Hưng', 'Tân Thạnh', 'Đông Hòa'] },
    { name: 'Vĩnh Thuận', communes: ['Vĩnh Phong', 'Vĩnh Bình Bắc', 'Tân Thuận', 'Phong Đông', 'Bình Minh'] },
    { name: 'U Minh Thượng', communes: ['Minh Thuận', 'Thạnh Yên', 'An Minh Bắc', 'Vĩnh Hòa'] },
    { name: 'Giang Thành', communes: ['Phú Mỹ', 'Tân Khánh Hòa', 'Vĩnh Điều', 'Vĩnh Phú'] },
    { name: 'Kiên Hải', communes: ['Hòn Tre', 'Lại Sơn', 'An Sơn', 'Nam Du'] },
  ],
  hamlet: (index) => `ấp ${KG_HAMLETS[index % KG_HAMLETS.length]}`,
  cooperativeActivities: {
    agriculture: [
      'Nông nghiệp', 'Sản xuất lúa giống', 'Lúa chất lượng cao', 'Dịch vụ nông nghiệp', 'Trồng tiêu',
      'Trồng khóm', 'Rau an toàn', 'Lúa - tôm', 'Nông nghiệp sạch', 'Trồng sim rừng',
    ],
    fisheries: ['Nuôi tôm', 'Thủy sản', 'Nuôi cá lồng bè', 'Khai thác hải sản', 'Nuôi sò huyết', 'Nuôi tôm càng xanh', 'Nuôi hàu'],
    industry: ['Nước mắm', 'Chế biến hải sản', 'Đan lục bình', 'Cơ khí nông nghiệp'],
    construction: ['Xây dựng', 'Xây dựng và dịch vụ'],
    transport: ['Vận tải thủy', 'Vận tải hành khách', 'Dịch vụ vận tải'],
    trade_services: ['Thương mại dịch vụ', 'Du lịch cộng đồng', 'Dịch vụ du lịch', 'Dịch vụ tổng hợp'],
    other: ['Môi trường', 'Dịch vụ vệ sinh môi trường', 'Cấp nước sạch'],
  },
  groupActivities: {
    agriculture: ['sản xuất lúa', 'trồng tiêu', 'trồng rau', 'dịch vụ máy nông nghiệp', 'nuôi ong', 'trồng khóm', 'chăn nuôi'],
    fisheries: ['nuôi tôm', 'khai thác thủy sản', 'nuôi cá', 'nuôi hàu', 'nuôi sò huyết', 'nuôi cua'],
    industry: ['đan lục bình', 'làm mắm'],
    trade_services: ['dịch vụ du lịch', 'buôn bán nông sản'],
  },
  localSuspensionReasons: [
    // The 2019–2020 drought and salinity intrusion in the Mekong delta.
    { reason: 'Ảnh hưởng hạn hán, xâm nhập mặn', from: '2019-12-01', to: '2020-12-31' },
    { reason: 'Dịch bệnh trên tôm nuôi' },
    { reason: 'Giá lúa giảm, sản xuất thua lỗ' },
  ],
  unions: [
    { name: 'Liên hiệp hợp tác xã Lúa gạo Tân Hiệp', sector: 'agriculture', foundedIn: '2019-04', district: 'Tân Hiệp', probability: 1 },
    { name: 'Liên hiệp hợp tác xã Thủy sản U Minh Thượng', sector: 'fisheries', foundedIn: '2021-09', district: 'U Minh Thượng', probability: 1 },
    { name: 'Liên hiệp hợp tác xã Nông nghiệp Kiên Giang', sector: 'agriculture', foundedIn: '2023-11', district: 'Giồng Riềng', probability: 0.7 },
  ],
};

const AG_HAMLETS = [
  'Hòa Long', 'Long Hòa', 'Bình Thạnh', 'Mỹ Phú', 'Phú Hữu', 'Tân Hiệp', 'Vĩnh Lợi', 'Sóc Tức', 'Vồ Đầu', 'Tà Lọt',
  'Bình Phú', 'Long Thạnh', 'Mỹ An', 'Hưng Lợi', 'Phước Lộc', 'Trung Bình',
];

/**
 * An Giang before 1 July 2025 (code 89): since then, with Kiên Giang, the new An Giang (91). The
 * demo draws it so that the merger is visible: its cooperatives are in 91 from that day.
 */
export const AN_GIANG: ProvinceVocabulary = {
  provinceCode: '89',
  name: 'An Giang',
  districts: [
    { name: 'Long Xuyên', communes: ['Mỹ Hòa Hưng', 'Mỹ Khánh', 'Mỹ Thới', 'Mỹ Thạnh'] },
    { name: 'Châu Đốc', communes: ['Vĩnh Mỹ', 'Vĩnh Tế', 'Vĩnh Châu', 'Núi Sam'] },
    { name: 'Tân Châu', communes: ['Long Châu', 'Phú Vĩnh', 'Vĩnh Xương', 'Tân An', 'Châu Phong'] },
    { name: 'An Phú', communes: ['Đa Phước', 'Khánh An', 'Phú Hội', 'Quốc Thái', 'Vĩnh Hậu', 'Nhơn Hội'] },
    { name: 'Phú Tân', communes: ['Phú Mỹ', 'Chợ Vàm', 'Phú Thạnh', 'Tân Hòa', 'Hòa Lạc', 'Phú Xuân'] },
    { name: 'Châu Phú', communes: ['Cái Dầu', 'Bình Mỹ', 'Mỹ Đức', 'Thạnh Mỹ Tây', 'Ô Long Vỹ', 'Bình Long'] },
    { name: 'Tịnh Biên', communes: ['Nhà Bàng', 'Chi Lăng', 'An Cư', 'Văn Giáo', 'Núi Voi', 'An Hảo'] },
    { name: 'Tri Tôn', communes: ['Ba Chúc', 'Cô Tô', 'Lương Phi', 'Núi Tô', 'Tà Đảnh', 'Ô Lâm'] },
    { name: 'Châu Thành', communes: ['An Châu', 'Bình Hòa', 'Cần Đăng', 'Vĩnh Bình', 'Vĩnh Hanh', 'Hòa Bình Thạnh'] },
    { name: 'Chợ Mới', communes: ['Mỹ Luông', 'Hội An', 'Long Điền A', 'Kiến An', 'Tấn Mỹ', 'Mỹ Hội Đông', 'Long Giang'] },
    { name: 'Thoại Sơn', communes: ['Núi Sập', 'Óc Eo', 'Phú Hòa', 'Vọng Thê', 'Định Thành', 'Tây Phú'] },
  ],
  hamlet: (index) => `ấp ${AG_HAMLETS[index % AG_HAMLETS.length]}`,
  cooperativeActivities: {
    agriculture: [
      'Nông nghiệp', 'Dịch vụ nông nghiệp', 'Sản xuất lúa giống', 'Lúa chất lượng cao', 'Rau màu', 'Trồng xoài',
      'Nếp Phú Tân', 'Thốt nốt Bảy Núi', 'Nông nghiệp công nghệ cao', 'Chăn nuôi bò',
    ],
    fisheries: ['Nuôi cá tra', 'Thủy sản', 'Nuôi cá lồng bè', 'Nuôi lươn'],
    industry: ['Dệt thổ cẩm', 'Chế biến đường thốt nốt', 'Mộc gia dụng', 'Chế biến khô cá'],
    construction: ['Xây dựng'],
    transport: ['Vận tải thủy', 'Vận tải hành khách', 'Đò ngang'],
    trade_services: ['Thương mại dịch vụ', 'Du lịch cộng đồng', 'Dịch vụ tổng hợp'],
    other: ['Khai thác cát', 'Cấp nước sạch'],
  },
  groupActivities: {
    agriculture: ['sản xuất lúa', 'trồng rau màu', 'dịch vụ máy nông nghiệp', 'trồng xoài', 'chăn nuôi bò', 'trồng nấm rơm'],
    fisheries: ['nuôi cá tra', 'nuôi cá lồng bè', 'khai thác thủy sản'],
    industry: ['dệt thổ cẩm', 'làm đường thốt nốt'],
    trade_services: ['thu gom nông sản', 'dịch vụ du lịch'],
  },
  localSuspensionReasons: [
    { reason: 'Ảnh hưởng hạn hán, xâm nhập mặn', from: '2019-12-01', to: '2020-12-31' },
    { reason: 'Giá cá tra giảm, nuôi thua lỗ' },
    { reason: 'Giá lúa giảm, sản xuất thua lỗ' },
  ],
  unions: [
    // The province counted one union of agricultural cooperatives at the end of 2020 (see AN_GIANG_SIZES).
    { name: 'Liên hiệp hợp tác xã Nông nghiệp An Giang', sector: 'agriculture', foundedIn: '2019-08', district: 'Thoại Sơn', probability: 1 },
    { name: 'Liên hiệp hợp tác xã Lúa gạo Châu Phú', sector: 'agriculture', foundedIn: '2023-05', district: 'Châu Phú', probability: 0.6 },
  ],
};

const YB_BAN = ['Púng Luông', 'Dề Thàng', 'La Pán Tẩn', 'Chế Cu Nha', 'Khao Mang', 'Sáng Nhù', 'Suối Giàng', 'Bản Mù'];

export const YEN_BAI: ProvinceVocabulary = {
  provinceCode: '15',
  name: 'Yên Bái',
  districts: [
    { name: 'Yên Bái', communes: ['Tuy Lộc', 'Âu Lâu', 'Văn Phú', 'Văn Tiến', 'Phúc Lộc', 'Giới Phiên'] },
    { name: 'Nghĩa Lộ', communes: ['Nghĩa An', 'Nghĩa Lợi', 'Hạnh Sơn', 'Phù Nham', 'Nghĩa Phúc'] },
    { name: 'Lục Yên', communes: ['Khánh Hòa', 'An Phú', 'Minh Xuân', 'Tân Lĩnh', 'Yên Thắng', 'Mường Lai', 'Vĩnh Lạc'] },
    { name: 'Văn Yên', communes: ['Mậu A', 'Đông Cuông', 'Đại Sơn', 'Phong Dụ Hạ', 'Xuân Ái', 'Viễn Sơn', 'Châu Quế Hạ', 'Đại Phác'] },
    { name: 'Mù Cang Chải', communes: ['Khao Mang', 'La Pán Tẩn', 'Chế Tạo', 'Nậm Khắt', 'Cao Phạ', 'Púng Luông'] },
    { name: 'Trấn Yên', communes: ['Hưng Khánh', 'Việt Thành', 'Hòa Cuông', 'Kiên Thành', 'Báo Đáp', 'Minh Quân', 'Lương Thịnh'] },
    { name: 'Trạm Tấu', communes: ['Xà Hồ', 'Bản Mù', 'Túc Đán', 'Phình Hồ', 'Bản Công'] },
    { name: 'Văn Chấn', communes: ['Tú Lệ', 'Sơn Thịnh', 'Suối Giàng', 'Nậm Búng', 'Gia Hội', 'Thượng Bằng La', 'Cát Thịnh', 'Sơn A'] },
    { name: 'Yên Bình', communes: ['Cảm Nhân', 'Vĩnh Kiên', 'Phúc An', 'Thịnh Hưng', 'Tân Hương', 'Cẩm Ân', 'Bảo Ái', 'Đại Đồng'] },
  ],
  hamlet: (index) => (index % 4 === 3 ? `bản ${YB_BAN[index % YB_BAN.length]}` : `thôn ${(index % 14) + 1}`),
  cooperativeActivities: {
    agriculture: [
      'Chè Shan tuyết', 'Quế hồi', 'Nông lâm nghiệp', 'Tre măng Bát Độ', 'Chăn nuôi', 'Trồng rừng', 'Sản xuất chè',
      'Bưởi Đại Minh', 'Dược liệu', 'Nông nghiệp', 'Nông nghiệp hữu cơ', 'Gạo nếp Tú Lệ', 'Sơn tra',
    ],
    fisheries: ['Nuôi cá hồ Thác Bà', 'Thủy sản', 'Nuôi cá lồng'],
    industry: ['Chế biến lâm sản', 'Chế biến quế', 'Dệt thổ cẩm', 'Chế biến chè', 'Khai thác đá'],
    construction: ['Xây dựng', 'Xây dựng và vật liệu'],
    transport: ['Vận tải', 'Vận tải hành khách'],
    trade_services: ['Thương mại dịch vụ', 'Du lịch cộng đồng', 'Dịch vụ tổng hợp', 'Dịch vụ du lịch sinh thái'],
    other: ['Môi trường', 'Điện năng', 'Cấp nước sinh hoạt'],
  },
  groupActivities: {
    agriculture: [
      'trồng chè', 'trồng quế', 'chăn nuôi lợn', 'trồng măng tre Bát Độ', 'trồng rừng', 'nuôi ong', 'trồng bưởi',
      'trồng sơn tra', 'trồng dược liệu', 'chăn nuôi trâu bò',
    ],
    fisheries: ['nuôi cá lồng', 'nuôi cá'],
    industry: ['dệt thổ cẩm', 'đan lát'],
    trade_services: ['du lịch cộng đồng', 'thu gom nông sản'],
  },
  localSuspensionReasons: [
    { reason: 'Ảnh hưởng mưa lũ, sạt lở đất' },
    // Typhoon Yagi, September 2024.
    { reason: 'Thiệt hại do cơn bão số 3 (Yagi)', from: '2024-09-08', to: '2025-06-30' },
    { reason: 'Giá quế xuống thấp, không tiêu thụ được sản phẩm' },
  ],
  unions: [
    { name: 'Liên hiệp hợp tác xã Quế hồi Văn Yên', sector: 'agriculture', foundedIn: '2020-06', district: 'Văn Yên', probability: 1 },
    { name: 'Liên hiệp hợp tác xã Chè Yên Bái', sector: 'agriculture', foundedIn: '2022-10', district: 'Văn Chấn', probability: 1 },
    { name: 'Liên hiệp hợp tác xã Nông lâm sản Yên Bình', sector: 'agriculture', foundedIn: '2024-08', district: 'Yên Bình', probability: 0.5 },
  ],
};

export const COMMON_SUSPENSION_REASONS = [
  'Thiếu vốn sản xuất kinh doanh',
  'Thành viên đi làm ăn xa, không đủ nhân lực',
  'Chuyển đổi phương án sản xuất kinh doanh',
  'Mất thị trường tiêu thụ sản phẩm',
];

export const COVID_SUSPENSION_REASON = 'Ảnh hưởng của dịch COVID-19';
