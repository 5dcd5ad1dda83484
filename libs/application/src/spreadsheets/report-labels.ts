import type { MetricName, TargetOp, TargetStatus } from '@ktt/domain';

/*
 * The Vietnamese words of the progress report workbook (the report goes to the ministry in
 * Vietnamese). The metric names follow the admin UI's (apps/admin-ui/src/i18n/common.ts), which a
 * browser bundle keeps for itself; the API's metric name stands beside each label in the report, so
 * a reader can always tell which metric a row is.
 */

export const METRIC_LABELS: Readonly<Record<MetricName, string>> = {
  cooperative_groups: 'Số tổ hợp tác',
  cooperative_group_members: 'Thành viên tổ hợp tác',
  cooperatives: 'Số hợp tác xã',
  cooperative_members: 'Thành viên hợp tác xã',
  unions: 'Số liên hiệp hợp tác xã',
  union_member_cooperatives: 'Hợp tác xã thành viên liên hiệp',
  cooperatives_good_or_fair_share: 'Tỷ lệ hợp tác xã đạt loại tốt, khá',
  rated_organizations_good_or_fair_share: 'Tỷ lệ tổ chức kinh tế tập thể đạt loại tốt, khá',
  cooperatives_good_or_fair_in_value_chain_share: 'Hợp tác xã tốt, khá tham gia chuỗi giá trị',
  rated_organizations_good_or_fair_in_value_chain_share: 'Tổ chức tốt, khá tham gia chuỗi giá trị',
  rated_organizations_value_chain_share: 'Tổ chức được xếp loại tham gia chuỗi giá trị',
  managers_with_degree_share: 'Cán bộ quản lý có trình độ đại học, cao đẳng',
  directors_trained_share: 'Giám đốc hợp tác xã được đào tạo',
  high_tech_agricultural_cooperatives: 'Hợp tác xã nông nghiệp ứng dụng công nghệ cao',
  agricultural_cooperatives_enterprise_linked_share: 'Hợp tác xã nông nghiệp liên kết với doanh nghiệp',
  dormant_cooperatives: 'Hợp tác xã ngừng hoạt động',
  suspended_cooperatives: 'Hợp tác xã tạm ngừng hoạt động',
  organizations_digital_adoption_share: 'Tổ chức kinh tế tập thể chuyển đổi số',
  population_share: 'Tỷ lệ dân số là thành viên (ước tính)',
};

export const TARGET_OP_LABELS: Readonly<Record<TargetOp, string>> = {
  at_least: 'Ít nhất',
  more_than: 'Trên',
  approximately: 'Khoảng',
  between: 'Trong khoảng',
  at_most: 'Không quá',
};

export const TARGET_STATUS_LABELS: Readonly<Record<TargetStatus, string>> = {
  met: 'Đã đạt',
  on_track: 'Đúng lộ trình',
  near: 'Gần đúng lộ trình',
  behind: 'Chậm so với lộ trình',
  unknown: 'Chưa đánh giá được',
};

/** Number formats of the report's cells. Excel shows the reader's separators (1.234,5 in Vietnamese settings). */
export const COUNT_FORMAT = '#,##0';
export const SHARE_FORMAT = '0.0%';
export const DECIMAL_FORMAT = '#,##0.00';
