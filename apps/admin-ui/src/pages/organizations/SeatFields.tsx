import { formedOn, unitName, useAdministrativeMap, useProvincesOn, type MapHistory } from '../../api/administrative-map';
import type { Province } from '../../api/types';
import { FormSelect, type FormOption } from '../../components/FormFields';
import { formatDate, todayInVietnam } from '../../i18n/format';
import type { Translate } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import type { FieldBinding } from './use-submission';

/**
 * The seat of an organization as a command names it (domain.md, "Administrative units"): a province
 * in force on the command's effective date and, where that province was formed from several former
 * provinces (An Giang 91 from 1 July 2025: former An Giang 89 and former Kiên Giang 91), the former
 * province whose territory holds the seat. The former-province field appears only then.
 */

export interface Seat {
  /** The provinces offered on the date (for a registrar: those within its token's territory). */
  offered: Province[];
  /** The units (first-map provinces) of the chosen province on the date: several for a merged province. */
  units: string[] | null;
  /** Whether the chosen code is in force on the date (null while the list loads). */
  inForce: boolean | null;
  history: MapHistory | null;
}

/** The seat's choices on `date` (today when no date is chosen yet, or a future one). */
export function useSeat(date: string, provinceCode: string): Seat {
  const { me } = useSession();
  const today = todayInVietnam();
  const day = date && date <= today ? date : today;
  const provinces = useProvincesOn(day);
  const history = useAdministrativeMap();
  const all = provinces.data ?? [];
  // A registrar writes for the seats within its token's provinces, read on today's map (api.md, "Authentication").
  const tokenUnits = history && me?.role === 'registrar' ? me.provinces.flatMap((code) => history.map.unitsOf(code, today) ?? []) : null;
  const offered =
    me?.role === 'admin'
      ? all
      : all.filter((province) =>
          tokenUnits ? (history!.map.unitsOf(province.code, day) ?? []).every((unit) => tokenUnits.includes(unit)) : me?.provinces.includes(province.code),
        );
  const listed = all.find((province) => province.code === provinceCode);
  const units = !provinceCode ? null : (history?.map.unitsOf(provinceCode, day) ?? (listed ? listed.predecessors : null));
  return { offered, units, inForce: provinces.data ? Boolean(listed) : null, history };
}

export function SeatFields(props: {
  t: Translate;
  seat: Seat;
  date: string;
  province: FieldBinding<string>;
  former: FieldBinding<string>;
  provinceLabel?: string;
}) {
  const { t, seat } = props;
  const today = todayInVietnam();
  const day = props.date && props.date <= today ? props.date : today;
  const options: FormOption[] = seat.offered.map((province) => ({ value: province.code, label: `${province.name} (${province.code})` }));
  if (props.province.value && !options.some((option) => option.value === props.province.value)) {
    options.unshift({ value: props.province.value, label: props.province.value });
  }
  const notInForce = seat.inForce === false && props.province.value ? t('form.provinceNotInForce', { code: props.province.value, date: formatDate(day) }) : undefined;
  const formed = seat.history && props.province.value ? formedOn(seat.history, props.province.value, day) : null;
  const provinceName = seat.offered.find((province) => province.code === props.province.value)?.name ?? props.province.value;
  return (
    <>
      <FormSelect
        {...props.province}
        error={props.province.error ?? notInForce}
        label={props.provinceLabel ?? t('field.provinceCode')}
        required
        placeholder={t('choose')}
        options={options}
        hint={t('form.province.hint', { date: formatDate(day) })}
      />
      {seat.units && seat.units.length > 1 ? (
        <FormSelect
          {...props.former}
          label={t('field.formerProvinceCode')}
          required
          placeholder={t('choose')}
          options={seat.units.map((unit) => ({ value: unit, label: t('seat.formerOption', { name: unitName(seat.history, unit), code: unit }) }))}
          hint={
            formed
              ? t('form.former.hint', { name: provinceName, code: props.province.value, date: formatDate(formed.on), parts: formed.predecessors.map((p) => `${p.name} (${p.code})`).join(' + ') })
              : t('form.former.hintShort')
          }
        />
      ) : null}
    </>
  );
}

/** The former province to send: only where the province has several units, and only one of them. */
export function formerToSend(seat: Seat, former: string): string | undefined {
  return seat.units && seat.units.length > 1 && seat.units.includes(former) ? former : undefined;
}

/** The browser's checks of a seat: a province in force on the date; a former province where it has several. */
export function seatProblems(t: Translate, seat: Seat, date: string, provinceCode: string, former: string): { provinceCode?: string; formerProvinceCode?: string } {
  if (!provinceCode) return { provinceCode: t('form.required') };
  if (seat.inForce === false) return { provinceCode: t('form.provinceNotInForce', { code: provinceCode, date: formatDate(date || todayInVietnam()) }) };
  if (seat.units && seat.units.length > 1 && !formerToSend(seat, former)) return { formerProvinceCode: t('form.required') };
  return {};
}

/** Conflicts of a seat named by a command, shown next to the field they concern. */
export const SEAT_CONFLICTS = {
  PROVINCE_NOT_IN_FORCE: 'provinceCode',
  UNKNOWN_PROVINCE: 'provinceCode',
  FORMER_PROVINCE_REQUIRED: 'formerProvinceCode',
  NOT_A_PREDECESSOR: 'formerProvinceCode',
};
